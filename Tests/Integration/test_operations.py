"""Running under a service manager (issue 15): the real gateway on Matrix and e-mail tells
systemd's notification socket READY=1 once both channels run, WATCHDOG=1 while it answers and
STOPPING=1 when SIGTERM stops it. The socket is a datagram socket the test holds, as systemd
would (no systemd needed); the servers are the real Synapse and Postfix/Dovecot on loopback.
And the unit file in Config/ as systemd-analyze reads it."""

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from conftest import BINARY, BOOKED, MAIL_DOMAIN, ROOT, Gateway, running, seed_state
from mailusers import Mailbox, body
from people import close, people


def test_the_service_manager_is_told_ready_watchdog_and_stopping(tmp_path):
    path = tmp_path / "notify"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(path))
    listener.settimeout(60)
    gateway = Gateway(tmp_path, {"anna": "matrix", "kalle": "email", "kaisa": "email"})
    gateway.environment = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "1000000"}
    states = []

    def until(wanted):
        while True:
            state = listener.recv(4096).decode()
            states.append(state)
            if state.startswith(wanted):
                return state

    try:
        gateway.start()
        ready = until("READY=1")
        # Only once both channels run: the ready lines are out before it.
        assert ready == "READY=1\nSTATUS=channels running: email, matrix", states
        assert "kokemus: matrix ready" in gateway.log() and "kokemus: email ready" in gateway.log()
        assert sum(state == "READY=1" or state.startswith("READY=1") for state in states) == 1
        # Half of WATCHDOG_USEC: a ping every half second while the gateway answers.
        pings = [until("WATCHDOG=1") for _ in range(3)]
        assert pings == ["WATCHDOG=1"] * 3
        assert gateway.stop() == 0, gateway.log()
        until("STOPPING=1")
    finally:
        gateway.stop()
        listener.close()


def test_the_unit_file_verifies(tmp_path):
    """Config/kokemus.service as systemd reads it: no error and no warning (systemd-analyze
    only warns of an unknown or misspelt key, so its standard error must be empty)."""
    unit = (ROOT / "Config" / "kokemus.service").read_text()
    for wanted in ["Type=notify", "StateDirectory=kokemus", "DynamicUser=yes", "NoNewPrivileges=yes",
                   "ProtectSystem=strict", "PrivateTmp=yes", "Restart=on-failure", "WatchdogSec=",
                   "EnvironmentFile=-/etc/kokemus/secrets.env"]:
        assert f"\n{wanted}" in unit, wanted
    here = tmp_path / "kokemus.service"
    here.write_text(unit.replace("/opt/kokemus/bin/kokemus", str(BINARY)))
    result = subprocess.run(["systemd-analyze", "verify", str(here)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    # The check is not blind: a misspelt key is reported.
    broken = tmp_path / "broken.service"
    broken.write_text(here.read_text().replace("Restart=on-failure", "Restart=on-failure\nRestartt=always"))
    result = subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60)
    assert "Unknown key 'Restartt'" in result.stderr, result.stderr


def test_a_backup_taken_while_the_gateway_runs_restores(tmp_path):
    """`kokemus state backup` beside a running gateway (its lock held, mail moving), then
    `state restore` into a new directory: the same orders, and the backup checks whole."""
    seed_state(tmp_path, BOOKED, "Tehtävä T-2026-0001 on vahvistettu sinulle, Kalle.")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    try:
        gateway.start()
        backup = tmp_path / "backup"
        made = gateway.cli("state", "backup", "--to", str(backup))
        assert made.returncode == 0 and "backed up" in made.stdout, made.stderr
        # Not over the running gateway: its lock.
        refused = gateway.cli("state", "restore", "--from", str(backup))
        assert refused.returncode != 0 and "is using the state directory" in refused.stderr, refused.stderr
        assert gateway.stop() == 0, gateway.log()
        assert gateway.cli("state", "restore", "--from", str(backup), "--check").returncode == 0
        restored = tmp_path / "restored"
        put_back = gateway.cli("state", "restore", "--from", str(backup), "--state", str(restored))
        assert put_back.returncode == 0, put_back.stderr
        live = gateway.cli("orders", "list").stdout
        again = gateway.cli("orders", "list", "--state", str(restored)).stdout
        assert "T-2026-0001" in again and again == live, (again, live)
    finally:
        gateway.stop()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def metric(text, name):
    """The value of a metric line `name value` (name with its labels as written)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


def test_health_metrics_and_status_on_a_loopback_port(tmp_path):
    """The real gateway on Matrix and e-mail with monitoring.port: /healthz, /readyz once both
    channels run, /metrics counting a Matrix message in and the answer out, each channel's last
    success, and `kokemus status` for a person; nothing answers once it has stopped."""
    port = free_port()
    gateway = Gateway(tmp_path, {"anna": "matrix", "kalle": "email", "kaisa": "email"})
    with open(gateway.config, "a") as config:
        config.write(f"monitoring:\n  port: {port}\n")
    runner = running(gateway)
    next(runner)
    try:
        assert f"kokemus: status on 127.0.0.1:{port}" in gateway.log()
        assert get(port, "/healthz") == (200, "ok\n")
        # The ready lines came before the start returned: both channels run.
        assert get(port, "/readyz") == (200, "email ready\nmatrix ready\n")

        async def scenario():
            (employee,) = await people(gateway.users["employee"])
            try:
                room = await employee.open_dm_with_bot()
                reply = await employee.ask(room, "apua")
                assert reply, "the bot answers"
            finally:
                await close(employee)

        asyncio.run(scenario())
        status, text = get(port, "/metrics")
        assert status == 200
        assert metric(text, 'kokemus_messages_received_total{channel="matrix"}') >= 1, text
        assert metric(text, 'kokemus_messages_sent_total{channel="matrix"}') >= 1, text
        assert metric(text, 'kokemus_channel_last_success_timestamp_seconds{channel="email"}') > 1.7e9, text
        assert metric(text, 'kokemus_channel_last_success_timestamp_seconds{channel="matrix"}') > 1.7e9, text
        assert metric(text, "kokemus_outbox_messages") is not None and metric(text, "kokemus_journal_bytes") > 8, text
        assert metric(text, "kokemus_journal_last_sync_timestamp_seconds") > 1.7e9, text
        # Counts and times only: no one's address or name.
        for contact in gateway.contact_details() + ["Anna", "Virtanen"]:
            assert contact not in text

        shown = gateway.cli("status")
        assert shown.returncode == 0, shown.stdout + shown.stderr
        assert f"gateway on 127.0.0.1:{port}: running since" in shown.stdout, shown.stdout
        assert "email ready" in shown.stdout and "matrix ready" in shown.stdout, shown.stdout
        assert "messages in " in shown.stdout and "matrix" in shown.stdout, shown.stdout
        as_json = json.loads(gateway.cli("status", "--format", "json").stdout)
        assert as_json["ready"] == {"email": True, "matrix": True}
        assert as_json["status"]["tallies"]["received"]["matrix"] >= 1
    finally:
        with contextlib.suppress(StopIteration):
            next(runner)
    stopped = gateway.cli("status")
    assert stopped.returncode == 3 and "nothing answers" in stopped.stderr, stopped.stderr


def test_a_registry_edited_while_running_is_taken_in_and_a_broken_one_refused(tmp_path):
    """The county edits people.yaml while the real gateway runs on e-mail: a new person is
    served within seconds, no restart; a broken edit, sent by SIGHUP (systemctl reload), is
    refused, the gateway goes on, and the coordinator is told by mail with the line."""
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    people_yaml = gateway.directory / "registry" / "people.yaml"
    runner = running(gateway)
    next(runner)
    newcomer = Mailbox("stranger")
    coordinator = Mailbox("coordinator")
    try:
        # The stranger's address becomes a new employee's.
        good = people_yaml.read_text() + (
            "  - {id: uusi, name: Uuno Uusi, roles: [employee], unit: mielenterveys-porvoo, language: fi,\n"
            f"     channel: email, contacts: {{email: stranger@{MAIL_DOMAIN}}}}}\n")
        people_yaml.write_text(good)
        deadline = time.monotonic() + 60
        while "reload: the changed files are in use" not in gateway.log():
            assert time.monotonic() < deadline, gateway.log()
            time.sleep(0.2)
        greeted = body(newcomer.ask("moi"))
        assert "Hei Uuno!" in greeted, greeted

        people_yaml.write_text(good + "  - {id: rikki, name: Rikki Rakenne, roles: [wizard]}\n")
        gateway.process.send_signal(signal.SIGHUP)
        told = body(coordinator.next_with("ei otettu käyttöön"))
        assert "people.yaml:" in told and "wizard" in told, told
        # Still served, as before the broken edit.
        assert "Hei Uuno!" in body(newcomer.ask("moi")), "the old registry is kept"
        assert gateway.process.poll() is None
    finally:
        newcomer.close()
        coordinator.close()
        with contextlib.suppress(StopIteration):
            next(runner)


def test_a_coordinator_changes_the_registry_in_chat_and_the_files_follow(tmp_path):
    """A coordinator writes `rekisteri yhteys …` by mail to the real gateway: the address is
    written into people.yaml where it stood (the rest of the file as it was), the access log
    records the change without the address, and the person is served at the new address at
    once, with no restart."""
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"})
    people_yaml = gateway.directory / "registry" / "people.yaml"
    before = people_yaml.read_text()
    runner = running(gateway)
    next(runner)
    coordinator = Mailbox("coordinator")
    newcomer = Mailbox("stranger")
    try:
        address = f"stranger@{MAIL_DOMAIN}"
        told = body(coordinator.ask(f"rekisteri yhteys olli {address}"))
        assert "kirjattu rekisteriin (people.yaml)" in told and address in told, told
        after = people_yaml.read_text()
        removed = [line for line in before.splitlines() if line not in after.splitlines()]
        added = [line for line in after.splitlines() if line not in before.splitlines()]
        # Olli is one line in flow style here: the keys go into it, the rest stays.
        assert len(removed) == 1 and "id: olli" in removed[0], removed
        assert added == ['  - {channel: email, contacts: {email: "' + address + '"}, ' + removed[0][len("  - {"):]], added
        greeted = body(newcomer.ask("moi"))
        assert "Hei Olli!" in greeted, greeted
        audit = (gateway.directory / "state" / "audit.jsonl").read_text()
        assert "email contact of olli set" in audit and "stranger" not in audit, audit
    finally:
        coordinator.close()
        newcomer.close()
        with contextlib.suppress(StopIteration):
            next(runner)
