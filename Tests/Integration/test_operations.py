"""Running under a service manager (issue 15): the real gateway on Matrix and e-mail tells
systemd's notification socket READY=1 once both channels run, WATCHDOG=1 while it answers and
STOPPING=1 when SIGTERM stops it. The socket is a datagram socket the test holds, as systemd
would (no systemd needed); the servers are the real Synapse and Postfix/Dovecot on loopback.
And the unit file in Config/ as systemd-analyze reads it."""

import socket
import subprocess

from conftest import BINARY, BOOKED, ROOT, Gateway, seed_state


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
