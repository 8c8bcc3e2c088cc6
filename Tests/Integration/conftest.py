"""Fixtures: the real kokemus binary on a fresh state directory, configured for the local
Synapse (scripts/synapse) and mail servers (scripts/mailservers) whose environment those
scripts printed."""

import json
import os
import pathlib
import subprocess
import threading
import urllib.request
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("KOKEMUS_BINARY", ROOT / ".build" / "debug" / "kokemus"))
MAIL_DOMAIN = os.environ.get("MAIL_DOMAIN", "example.test")
# The name under which the test Postfix's OpenDKIM vouches for senders (scripts/mailservers).
MAIL_AUTHSERV_ID = os.environ.get("MAIL_AUTHSERV_ID", f"mail.{MAIL_DOMAIN}")


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


def require(variable, script):
    if variable not in os.environ:
        pytest.fail(f'no {variable}: run scripts/test, or eval "$({script} start)" first')


class Gateway:
    """The gateway process on its own state, restartable. `channels` says which person uses
    which channel: anna (employee), kalle (expert) and kaisa (coordinator), and sanna (a
    second expert, the "partner" account) when named; palkat (payroll) is on e-mail where the
    gateway has it. The experts signed the confidentiality commitment on paper, except those
    named in `unsigned` (they confirm it in chat before their first task)."""

    def __init__(self, directory, channels, sync_timeout=5, imap_url=None, smtp_url=None, unsigned=()):
        self.directory = directory
        self.unsigned = set(unsigned)
        # Extra environment for the next start (a crash point).
        self.environment = {}
        self.process = None
        self.stderr_lines = []
        self.channels = channels
        uses = set(channels.values())
        self.users = {}
        if "matrix" in uses:
            require("MATRIX_HOMESERVER_URL", "scripts/synapse")
            suffix = uuid.uuid4().hex[:8]
            self.users = {role: register(f"{role}{suffix}") for role in ["employee", "expert", "coordinator", "stranger", "partner"]}
        if "email" in uses:
            require("MAIL_IMAP_URL", "scripts/mailservers")
        registry = directory / "registry"
        registry.mkdir(parents=True)
        (registry / "units.yaml").write_text((ROOT / "Config" / "example" / "units.yaml").read_text())
        (registry / "people.yaml").write_text(self.people_yaml())
        self.config = directory / "kokemus.yaml"
        # The tests' people answer as fast as the bot does, faster than the per-person limit.
        # The tests run on the real clock at any hour, weekends too: offers and relays go at once.
        text = (f"state_dir: state\nflows_dir: {ROOT / 'Flows'}\nregistry_dir: registry\nmessages_per_minute: 0\n"
                f"messages_file: {ROOT / 'Config' / 'messages.yaml'}\nfees_file: {ROOT / 'Config' / 'fees.yaml'}\n"
                f"tasks_file: {ROOT / 'Config' / 'tasks.yaml'}\n"
                "matching:\n  offers_in_working_time: false\nreminders:\n  hold_relays_at_night: false\n")
        if "matrix" in uses:
            text += (f"matrix:\n  homeserver: {os.environ['MATRIX_HOMESERVER_URL']}\n  user_id: \"@bot:localhost\"\n"
                     f"  device_id: KOKEMUSTEST\n  sync_timeout_seconds: {sync_timeout}\n")
        if "email" in uses:
            imap_url = imap_url or os.environ["MAIL_IMAP_URL"]
            smtp_url = smtp_url or os.environ["MAIL_SMTP_URL"]
            text += (f"email:\n  imap: {imap_url}/INBOX\n  smtp: {smtp_url}\n"
                     f"  address: bot@{MAIL_DOMAIN}\n  username: bot\n  poll_seconds: 0.3\n"
                     f"  trusted_authserv_id: {MAIL_AUTHSERV_ID}\n")
        self.config.write_text(text)

    def people_yaml(self):
        roles = {"anna": "employee", "kalle": "expert", "kaisa": "coordinator", "sanna": "partner"}

        def signed(person, day):
            return "" if person in self.unsigned else f", confidentiality_signed: {day}"

        def contacts(person):
            role = roles[person]
            parts = [f"email: {role}@{MAIL_DOMAIN}"]
            if self.users:
                parts.append(f'matrix: "@{self.users[role]}:localhost"')
            return "{" + ", ".join(parts) + "}"

        return f"""people:
  - {{id: anna, name: Anna Virtanen, roles: [employee], unit: mielenterveys-porvoo, language: fi,
     channel: {self.channels["anna"]}, contacts: {contacts("anna")}}}
  - {{id: kaisa, name: Kaisa Laine, roles: [coordinator], language: fi,
     channel: {self.channels["kaisa"]}, contacts: {contacts("kaisa")}}}
  - id: kalle
    name: Kalle Heikkinen
    roles: [expert]
    language: fi
    channel: {self.channels["kalle"]}
    contacts: {contacts("kalle")}
    expert: {{handle: Kokemusasiantuntija K-12, topics: [mental_health, substance_use], task_types: [individual, pair, group], languages: [fi],
             municipalities: [Porvoo], agreement_valid_from: 2025-01-01{signed("kalle", "2025-01-01")}}}
  - {{id: liisa, name: Liisa Korhonen, roles: [approver], unit: mielenterveys-porvoo, language: fi}}
  - {{id: mikael, name: Mikael Holm, roles: [approver], unit: perhepalvelut-loviisa, language: sv}}
  - {{id: tuula, name: Tuula Mäkinen, roles: [approver], unit: asumispalvelut-sipoo, language: fi}}
  - {{id: olli, name: Olli Nieminen, roles: [employee], unit: asumispalvelut-sipoo, language: fi}}
""" + (f"""  - id: sanna
    name: Sanna Lehtonen
    roles: [expert]
    language: fi
    channel: {self.channels["sanna"]}
    contacts: {contacts("sanna")}
    expert: {{handle: Kokemusasiantuntija S-07, topics: [substance_use], task_types: [individual, pair], languages: [fi],
             municipalities: [Porvoo], agreement_valid_from: 2024-06-01, earnings_limit: {{month: 20}}{signed("sanna", "2024-06-01")}}}
""" if "sanna" in self.channels else "") + (f"""  - {{id: palkat, name: Palkanlaskenta, roles: [payroll], language: fi, channel: email,
     contacts: {{email: payroll@{MAIL_DOMAIN}}}}}
""" if "email" in self.channels.values() else "")

    def _spawn(self):
        environment = dict(os.environ, KOKEMUS_MATRIX_PASSWORD="pass-bot", KOKEMUS_MAIL_PASSWORD="pass-bot",
                           **self.environment)
        self.process = subprocess.Popen([str(BINARY), "run", "--config", str(self.config), "--log-level", "info"],
                                        cwd=self.directory, env=environment, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def start_until_killed(self, patience=120):
        """Starts the gateway when it is expected to die (a crash point on a message it will
        fetch): returns its exit status once it has, -9 for SIGKILL."""
        self._spawn()

        def read():
            for line in self.process.stderr:
                self.stderr_lines.append(line.rstrip("\n"))

        threading.Thread(target=read, daemon=True).start()
        return self.process.wait(patience)

    def start(self):
        self._spawn()
        waiting = {f"kokemus: {channel} ready" for channel in set(self.channels.values())}
        ready = threading.Event()

        def read():
            for line in self.process.stderr:
                self.stderr_lines.append(line.rstrip("\n"))
                waiting.discard(line.strip())
                if not waiting:
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        # An event, not a sleep: the gateway says when each channel is running.
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

    def contact_details(self):
        """Every person's address this test's registry holds, and the strangers' who write in."""
        roles = ["employee", "expert", "coordinator", "stranger", "partner", "payroll"]
        details = [f"{role}@{MAIL_DOMAIN}" for role in roles] + [f"nobody@{MAIL_DOMAIN}"]
        details += [f"@{user}:localhost" for user in self.users.values()]
        return details

    def cli(self, *arguments):
        return subprocess.run([str(BINARY), *arguments, "--config", str(self.config)], cwd=self.directory,
                              capture_output=True, text=True, check=False)


# Anna orders a remote session for Tuesday 8.12.2026 at 14; Kalle takes it. (The example
# registry's ids, which the console demo uses, are the integration registry's.)
BOOKED = """/time 2026-12-01T09:00
/as anna
tilaa
1
2
1
ti 8.12. klo 14
1,5 h
2
suomi
1
Asiakas tarvitsee vertaistukea.
1
kyllä
/as kalle
1
"""


def seed_state(tmp_path, script, expected):
    """A state made by the console demo running `script` into tmp_path/state, the directory a
    Gateway in tmp_path uses; `expected` is a line the demo's transcript must hold."""
    path = tmp_path / "seed.script"
    path.write_text(script)
    seeded = subprocess.run([str(BINARY), "demo", "--script", str(path), "--state", str(tmp_path / "state")],
                            capture_output=True, text=True, check=False)
    assert seeded.returncode == 0, seeded.stderr
    assert expected in seeded.stdout, seeded.stdout[-2000:]


def running(gateway):
    gateway.start()
    yield gateway
    status = gateway.stop()
    # A clean SIGTERM shutdown is part of what every test checks.
    assert status == 0, f"the gateway exited with {status}:\n{gateway.log()}"
    # And that the log (at info level) names no one's address: it goes to operations (issue 15).
    log = gateway.log()
    for contact in gateway.contact_details():
        assert contact not in log, f"{contact} is in the log:\n" + "\n".join(l for l in log.splitlines() if contact in l)


@pytest.fixture
def gateway(tmp_path):
    """Everyone on Matrix."""
    yield from running(Gateway(tmp_path, {"anna": "matrix", "kalle": "matrix", "kaisa": "matrix"}))


@pytest.fixture
def mail_gateway(tmp_path):
    """Everyone on e-mail."""
    yield from running(Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"}))


@pytest.fixture
def mixed_gateway(tmp_path):
    """The employee on Matrix, the coordinator and the expert on e-mail."""
    yield from running(Gateway(tmp_path, {"anna": "matrix", "kalle": "email", "kaisa": "email"}))
