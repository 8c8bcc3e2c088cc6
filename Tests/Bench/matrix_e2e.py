"""Matrix end to end: the time from an employee's message (sent by matrix-nio) to the bot's
answer arriving at that client, over N exchanges, for Kokemus and for a minimal matrix-nio
echo bot on the same Synapse (the homeserver's floor). Run by scripts/bench-matrix."""

import asyncio
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "Integration"))

from conftest import Gateway, register  # noqa: E402
from people import Person  # noqa: E402

EXCHANGES = int(os.environ.get("KOKEMUS_BENCH_EXCHANGES", "1000"))


async def measure(person, room, sender, text):
    """Seconds from sending until the answer from sender is in the client."""
    seen = len([e for e in person.events.get(room, []) if e.get("sender") == sender])
    started = time.perf_counter()
    await person.send(room, text)
    while len([e for e in person.events.get(room, []) if e.get("sender") == sender]) <= seen:
        await person.sync(timeout=5000)
    return time.perf_counter() - started


def summary(name, samples):
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(f"  {name}: {len(samples)} exchanges, p50 {p50:.1f} ms, p99 {p99:.1f} ms, mean {statistics.mean(samples) * 1000:.1f} ms")
    return p50, p99


async def main():
    directory = pathlib.Path(tempfile.mkdtemp(prefix="kokemus-bench-matrix-"))
    gateway = Gateway(directory, {"anna": "matrix", "kalle": "matrix", "kaisa": "matrix"}, sync_timeout=30)
    gateway.start()
    echo_user = register(f"echo{uuid.uuid4().hex[:8]}")
    echo = subprocess.Popen([sys.executable, str(HERE / "echo_bot.py"), f"@{echo_user}:localhost", f"pass-{echo_user}"],
                            stdout=subprocess.PIPE, text=True)
    assert echo.stdout.readline().strip() == "echo: ready"
    employee = await Person(gateway.users["employee"]).login()
    try:
        room = await employee.open_dm_with_bot()
        await measure(employee, room, "@bot:localhost", "tila")  # warm-up
        ours = [await measure(employee, room, "@bot:localhost", "tila") for _ in range(EXCHANGES)]

        created = await employee.client.room_create(invite=[f"@{echo_user}:localhost"])
        echo_room = created.room_id
        await employee.wait_for(lambda: any(e.get("type") == "m.room.member" and e.get("state_key") == f"@{echo_user}:localhost"
                                            and e["content"].get("membership") == "join"
                                            for e in employee.events.get(echo_room, [])), "the echo bot to join")
        await measure(employee, echo_room, f"@{echo_user}:localhost", "tila")
        floor = [await measure(employee, echo_room, f"@{echo_user}:localhost", "tila") for _ in range(EXCHANGES)]
    finally:
        await employee.close()
        echo.terminate()
        gateway.stop()
    print(f"matrix end to end ({EXCHANGES} exchanges each, message 'tila', Synapse on 127.0.0.1):")
    ours_p50, ours_p99 = summary("kokemus", ours)
    floor_p50, floor_p99 = summary("echo bot (matrix-nio)", floor)
    print(f"  ratio kokemus / echo: p50 {ours_p50 / floor_p50:.2f}, p99 {ours_p99 / floor_p99:.2f}")


asyncio.run(main())
