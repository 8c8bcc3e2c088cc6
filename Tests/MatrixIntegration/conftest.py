"""Fixtures: the real kokemus binary on a fresh state directory, configured for the local
Synapse that scripts/synapse started (its environment comes from that script)."""

import json
import os
import pathlib
import subprocess
import threading
import urllib.request
import uuid

import pytest

if "MATRIX_HOMESERVER_URL" not in os.environ:
    pytest.exit('no homeserver: run scripts/test, or eval "$(scripts/synapse start)" first', returncode=2)

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "kokemus"

# Registry people played by the test users; a "stranger" is deliberately not in it.
ROLES = {"anna": "employee", "kalle": "expert", "kaisa": "coordinator"}


def register(name):
    """A Matrix user of this test only (password pass-NAME), through the admin API: tests
    share one homeserver and one bot, but never each other's people or rooms."""
    request = urllib.request.Request(
        f"{os.environ['MATRIX_HOMESERVER_URL']}/_synapse/admin/v2/users/@{name}:localhost",
        json.dumps({"password": f"pass-{name}", "admin": False}).encode(),
        {"Authorization": f"Bearer {os.environ['MATRIX_ADMIN_TOKEN']}", "Content-Type": "application/json"},
        method="PUT")
    urllib.request.urlopen(request).read()
    return name


class Gateway:
    """The gateway process; restartable on the same state."""

    def __init__(self, directory, sync_timeout=5):
        self.directory = directory
        self.process = None
        self.stderr_lines = []
        suffix = uuid.uuid4().hex[:8]
        self.users = {role: register(f"{role}{suffix}") for role in ["employee", "expert", "coordinator", "stranger"]}
        registry = directory / "registry"
        registry.mkdir(parents=True)
        for source in (ROOT / "Config" / "example").glob("*.yaml"):
            text = source.read_text()
            for person, role in ROLES.items():
                text = text.replace(f'"@{person}:kokemus.example"', f'"@{self.users[role]}:localhost"')
            text = text.replace("channel: console", "channel: matrix")
            (registry / source.name).write_text(text)
        self.config = directory / "kokemus.yaml"
        self.config.write_text(
            f"state_dir: state\n"
            f"flows_dir: {ROOT / 'Flows'}\n"
            f"registry_dir: registry\n"
            f"messages_file: {ROOT / 'Config' / 'messages.yaml'}\n"
            f"matrix:\n"
            f"  homeserver: {os.environ.get('MATRIX_HOMESERVER_URL', 'http://127.0.0.1:8008')}\n"
            f"  user_id: \"@bot:localhost\"\n"
            f"  device_id: KOKEMUSTEST\n"
            f"  sync_timeout_seconds: {sync_timeout}\n")

    def start(self):
        environment = dict(os.environ, KOKEMUS_MATRIX_PASSWORD="pass-bot")
        self.process = subprocess.Popen([str(BINARY), "run", "--config", str(self.config), "--log-level", "info"],
                                        cwd=self.directory, env=environment, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        ready = threading.Event()

        def read():
            for line in self.process.stderr:
                self.stderr_lines.append(line.rstrip("\n"))
                if line.startswith("kokemus: matrix ready"):
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        # An event, not a sleep: the gateway says when it follows the homeserver.
        assert ready.wait(120), "the gateway did not get ready"
        assert self.process.poll() is None, "the gateway exited:\n" + "\n".join(self.stderr_lines)

    def stop(self, kill=False, patience=30):
        if self.process and self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(patience)
        return self.process.returncode if self.process else None

    def restart(self, kill=False):
        self.stop(kill=kill)
        self.start()

    def log(self):
        return "\n".join(self.stderr_lines)

    def cli(self, *arguments):
        return subprocess.run([str(BINARY), *arguments, "--config", str(self.config)], cwd=self.directory,
                              capture_output=True, text=True, check=False)


@pytest.fixture
def gateway(tmp_path):
    gateway = Gateway(tmp_path)
    gateway.start()
    yield gateway
    status = gateway.stop()
    # A clean SIGTERM shutdown is part of what every test checks.
    assert status == 0, f"the gateway exited with {status}:\n{gateway.log()}"
