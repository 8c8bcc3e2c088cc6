"""E-mail end to end: mails to the gateway through the local Postfix, answers read from
Dovecot (KOKEMUS_BENCH_POLL_SECONDS, default 0.3; KOKEMUS_BENCH_IDLE, default true). First
one at a time (the time from handing a mail to Postfix until the answer is in the mailbox),
then a burst of N mails sent as fast as one sender can while the gateway runs, then N mails
waiting in the mailbox when the gateway starts (mails answered per second: what the gateway
itself can do, whatever the sender's speed; the answers counted as Dovecot stores them, and
read and checked afterwards). Run by scripts/bench-mail, on mail servers with empty
mailboxes: Dovecot stores mail more slowly in a Maildir of tens of thousands of messages."""

import os
import pathlib
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "Integration"))

from conftest import Gateway  # noqa: E402
from mailusers import Mailbox  # noqa: E402

BURST = int(os.environ.get("KOKEMUS_BENCH_MAILS", "1000"))
SINGLE = int(os.environ.get("KOKEMUS_BENCH_SINGLE_MAILS", "100"))
# KOKEMUS_BENCH_WAITING_ONLY=1: only the mails waiting at a start (quicker, for before and after).
WAITING_ONLY = os.environ.get("KOKEMUS_BENCH_WAITING_ONLY") == "1"


def quantiles(samples):
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def main():
    directory = pathlib.Path(tempfile.mkdtemp(prefix="kokemus-bench-mail-"))
    gateway = Gateway(directory, {"anna": "email", "kalle": "email", "kaisa": "email"})
    poll = os.environ.get("KOKEMUS_BENCH_POLL_SECONDS", "0.3")
    # KOKEMUS_BENCH_IDLE=false: poll only, as before IMAP IDLE (for comparison).
    idle = os.environ.get("KOKEMUS_BENCH_IDLE", "true")
    text = gateway.config.read_text().replace("poll_seconds: 0.3", f"poll_seconds: {poll}")
    gateway.config.write_text(text + f"  daily_cap: 1000000\n  idle: {idle}\n")
    gateway.start()
    employee = Mailbox("employee")
    try:
        single, sent_at, answered_at, elapsed = [], [], [], 0.0
        if not WAITING_ONLY:
            for _ in range(SINGLE):
                started = time.perf_counter()
                employee.send("tila")
                employee.next_from_bot()
                single.append(time.perf_counter() - started)

            sent_at = []
            started = time.perf_counter()
            for _ in range(BURST):
                employee.send("tila")
                sent_at.append(time.perf_counter())
            answered_at = []
            while len(answered_at) < BURST:
                employee.next_from_bot(patience=300)
                answered_at.append(time.perf_counter())
            elapsed = answered_at[-1] - started
        # The same number waiting when the gateway starts: sent while it is stopped.
        gateway.stop()
        bot = Mailbox("bot")
        for _ in range(BURST):
            employee.send("tila")
        # Everything sent is in the mailbox (delivered by Postfix) before the clock starts.
        while bot._uidnext() - bot.next_uid < BURST:
            bot._idle(1)
        bot.close()
        employee._fetch_new()
        first = employee.next_uid
        started = time.perf_counter()
        gateway.start()
        # Counted as they land in the mailbox (UIDNEXT), read afterwards: reading each one as
        # it comes would make this reader's speed part of the figure.
        while employee._uidnext() < first + BURST:
            employee._idle(1)
        waiting_elapsed = time.perf_counter() - started
        for _ in range(BURST):
            employee.next_from_bot(patience=300)
    finally:
        employee.close()
        gateway.stop()
    print(f"e-mail end to end (Postfix and Dovecot on 127.0.0.1, IMAP polled every {poll} s, IDLE {idle}):")
    if not WAITING_ONLY:
        p50, p99 = quantiles(single)
        print(f"  one at a time: {SINGLE} mails, delivery to answer p50 {p50:.0f} ms, p99 {p99:.0f} ms")
        burst_p50, burst_p99 = quantiles([a - s for s, a in zip(sent_at, answered_at)])
        print(f"  burst: {BURST} mails answered in {elapsed:.1f} s = {BURST / elapsed:.1f} mails/s; "
              f"in order, sent to answered p50 {burst_p50:.0f} ms, p99 {burst_p99:.0f} ms")
    print(f"  waiting: {BURST} mails in the mailbox when the gateway starts, all answered {waiting_elapsed:.1f} s "
          f"after the start = {BURST / waiting_elapsed:.1f} mails/s (the start included)")


main()
