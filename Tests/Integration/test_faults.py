"""Fault injection: the gateway talks to Synapse through a fault proxy (faultproxy.py) that
answers 500 and 429, drops connections mid-request, cuts answers short and delays them, and
takes the homeserver away for a while; and to Postfix and Dovecot through a byte-level one
that refuses connections, greets with an error, cuts the SMTP dialogue at DATA, cuts IMAP
answers mid-mail and delays. The people talk to the servers directly. Nothing may be lost or
repeated, the gateway recovers by itself, and its log says what happened."""

import asyncio
import os
import time

from conftest import Gateway, running
from faultproxy import FaultProxy, TCPFaultProxy
from mailusers import Mailbox, body
from people import close, people
from test_email_channel import ORDER_ANSWERS as MAIL_ORDER_ANSWERS
from test_matrix_channel import ORDER_ANSWERS

import pytest


@pytest.fixture
def proxied(tmp_path):
    proxy = FaultProxy(os.environ["MATRIX_HOMESERVER_URL"])
    gateway = Gateway(tmp_path, {"anna": "matrix", "kalle": "matrix", "kaisa": "matrix"}, sync_timeout=2)
    gateway.config.write_text(gateway.config.read_text().replace(
        f"homeserver: {os.environ['MATRIX_HOMESERVER_URL']}", f"homeserver: {proxy.url}"))
    gateway.proxy = proxy
    try:
        yield from running(gateway)
    finally:
        proxy.close()


def test_faulty_homeserver_answers_lose_and_repeat_nothing(proxied):
    proxy = proxied.proxy
    # Sending answers: each kind of fault in turn, then every third one a fault again.
    faults = ["500", "429", "drop", "truncate", "delay"]
    proxy.plan("PUT", r"/send/m\.room\.message/", [f for fault in faults for f in (fault, "pass", "pass")] * 2)
    # Syncs: the same faults once each, spread out.
    proxy.plan("GET", r"/sync", ["pass", "500", "pass", "429", "pass", "drop", "pass", "truncate", "pass", "delay"])

    async def scenario():
        (employee,) = await people(proxied.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            sent = 0
            for answer, expected in ORDER_ANSWERS + [("kyllä", "on tallennettu")]:
                reply = await employee.ask(room, answer)
                sent += 1
                assert expected in reply, (answer, reply)
            assert "Tilauksesi" in await employee.ask(room, "tila")
            sent += 1
            await employee.sync(timeout=2000)
            assert len(employee.bot_notices(room)) == sent, [n["content"]["body"] for n in employee.bot_notices(room)]
        finally:
            await close(employee)

    asyncio.run(scenario())
    for fault in faults:
        assert proxy.done[fault] >= 2, proxy.done
    log = proxied.log()
    # The log names what went wrong and that it was retried.
    for line in ["send failed, retrying", "sync failed, retrying", "rate limited, waiting", "HTTP 500", "partial file"]:
        assert line in log, (line, log[-3000:])


@pytest.fixture
def mail_proxied(tmp_path):
    imap = TCPFaultProxy(os.environ["MAIL_IMAP_URL"])
    # The gateway keeps its SMTP connection from mail to mail: the server here ends each
    # session after one mail, so that every send meets the next fault (and a closed kept
    # connection is noticed and replaced).
    smtp = TCPFaultProxy(os.environ["MAIL_SMTP_URL"], close_after=b"queued as")
    gateway = Gateway(tmp_path, {"anna": "email", "kalle": "email", "kaisa": "email"}, imap_url=imap.url,
                      smtp_url=smtp.url)
    gateway.imap, gateway.smtp = imap, smtp
    try:
        yield from running(gateway)
    finally:
        imap.close()
        smtp.close()


def test_faulty_mail_servers_lose_and_repeat_nothing(mail_proxied):
    imap, smtp = mail_proxied.imap, mail_proxied.smtp
    # Every poll and every send is a connection of its own (see mail_proxied): each takes the
    # next fault.
    imap.plan(["refuse", "greet:* BYE injected\\r\\n", "pass", "delay", "truncate:FETCH", "pass", "truncate:FETCH"])
    smtp.plan(["refuse", "pass", "greet:421 4.3.2 injected\\r\\n", "pass", "cut:DATA", "pass", "delay", "truncate:250", "pass",
               "cut:DATA"])
    employee = Mailbox("employee")
    try:
        reply = employee.ask("tilaa")
        sent = 1
        for answer, expected in MAIL_ORDER_ANSWERS:
            # Each answer is the next mail: a repeated one would come first and fail this.
            reply = employee.ask(answer, reply_to=reply)
            sent += 1
            assert expected in body(reply), (answer, body(reply))
        assert "on tallennettu" in body(employee.ask("kyllä", reply_to=reply))
        sent += 1
        # Answered in order, each once: nothing waits in the mailbox beyond what was read.
        employee._fetch_new()
        assert [m for m in employee.received if "bot@" in str(m["From"])] == []
    finally:
        employee.close()
        print(mail_proxied.log()[-6000:])  # shown when the test fails
    assert imap.remaining() == [] and smtp.remaining() == [], (imap.remaining(), smtp.remaining())
    for kind in ["refuse", "greet", "delay", "truncate"]:
        assert imap.done[kind] >= 1, imap.done
    for kind in ["refuse", "greet", "cut", "delay", "truncate"]:
        assert smtp.done[kind] >= 1, smtp.done
    assert mail_proxied.process.poll() is None
    log = mail_proxied.log()
    for line in ["email: poll failed; trying again", "email: polling again", "outbox: delivery failed; will retry"]:
        assert line in log, (line, log[-3000:])


def test_homeserver_away_for_a_while(proxied):
    away = float(os.environ.get("KOKEMUS_FAULT_AWAY_SECONDS", "60"))
    proxy = proxied.proxy

    async def scenario():
        (employee,) = await people(proxied.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert ORDER_ANSWERS[0][1] in await employee.ask(room, ORDER_ANSWERS[0][0])
            proxy.down()
            # Answers written while the gateway cannot reach the homeserver wait for it.
            await employee.send(room, ORDER_ANSWERS[1][0])
            await asyncio.sleep(away)  # the outage itself, not synchronisation
            proxy.up()
            assert ORDER_ANSWERS[1][1] in await employee.next_from_bot(room)
            assert ORDER_ANSWERS[2][1] in await employee.ask(room, ORDER_ANSWERS[2][0])
            await employee.sync(timeout=2000)
            assert len(employee.bot_notices(room)) == 3
        finally:
            await close(employee)

    started = time.monotonic()
    asyncio.run(scenario())
    assert time.monotonic() - started >= away
    assert proxy.done["unreachable"] > 0
    assert proxied.process.poll() is None, "the gateway kept running"


def test_disk_full_stops_work_says_why_and_loses_nothing(tmp_path):
    import subprocess
    state = tmp_path / "state"
    state.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(state)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for the state here: {mounted.stderr.strip()}")
    gateway = Gateway(tmp_path, {"anna": "matrix", "kalle": "matrix", "kaisa": "matrix"})
    try:
        gateway.start()

        async def scenario():
            (employee,) = await people(gateway.users["employee"])
            try:
                room = await employee.open_dm_with_bot()
                assert ORDER_ANSWERS[0][1] in await employee.ask(room, ORDER_ANSWERS[0][0])
                # The state's disk fills up (to the last byte: unbuffered, ever smaller writes).
                descriptor = os.open(state / "filler", os.O_WRONLY | os.O_CREAT)
                for size in (65536, 4096, 256, 1):
                    try:
                        while True:
                            os.write(descriptor, b"\0" * size)
                    except OSError:
                        pass
                os.close(descriptor)
                # tmpfs counts whole pages, so a record may still fit in the journal's last page:
                # answer on until a record needs a new one.
                sent = 1
                for answer, expected in ORDER_ANSWERS[1:]:
                    seen = len(employee.bot_notices(room))
                    await employee.send(room, answer)
                    sent += 1
                    deadline = time.monotonic() + 60
                    while gateway.process.poll() is None and len(employee.bot_notices(room)) == seen:
                        assert time.monotonic() < deadline, "neither an answer nor a stop"
                        await employee.sync(timeout=500)
                    if gateway.process.poll() is not None:
                        break
                assert gateway.process.poll() is not None, "the gateway went on without a disk"
                assert gateway.process.returncode == 74
                assert "No space left on device" in gateway.log(), gateway.log()[-2000:]
                # Everything answered was recorded; the last message waits unanswered.
                await employee.sync(timeout=500)
                assert len(employee.bot_notices(room)) == sent - 1
                (state / "filler").unlink()
                gateway.start()
                while len(employee.bot_notices(room)) < sent:
                    await employee.sync(timeout=1000)
                assert expected in employee.bot_notices(room)[-1]["content"]["body"]
                await employee.sync(timeout=1000)
                assert len(employee.bot_notices(room)) == sent
            finally:
                await close(employee)

        asyncio.run(scenario())
    finally:
        gateway.stop()
        subprocess.run(["umount", str(state)], check=False)
