"""Run against Synapse's default message rate limits (SYNAPSE_RATELIMIT=default): the bot
gets 429s and every answer still arrives exactly once."""

import asyncio
import json
import os
import urllib.request

import pytest

from people import close, people

pytestmark = pytest.mark.skipif(os.environ.get("MATRIX_RATELIMIT") != "default",
                                reason="needs Synapse with SYNAPSE_RATELIMIT=default")


def exempt(user_id):
    """Only the bot should meet the limits."""
    request = urllib.request.Request(
        f"{os.environ['MATRIX_HOMESERVER_URL']}/_synapse/admin/v1/users/{user_id}/override_ratelimit",
        json.dumps({"messages_per_second": 0, "burst_count": 0}).encode(),
        {"Authorization": f"Bearer {os.environ['MATRIX_ADMIN_TOKEN']}", "Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def test_every_answer_arrives_exactly_once_under_rate_limits(gateway):
    exempt(f"@{gateway.users['employee']}:localhost")

    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            # Synapse allows a burst of 10, then one message every 5 s: 15 answers meet the limit.
            count = 15
            for index in range(count):
                await employee.send(room, "toista" if index % 2 else "tila")
            # Up to 5 s per answer once the burst is spent.
            await employee.wait_for(lambda: len(employee.bot_notices(room)) >= count, f"{count} answers", patience=180)
            await employee.sync()
            answers = employee.bot_notices(room)
            assert len(answers) == count, [a["content"]["body"] for a in answers]
            assert len({a["event_id"] for a in answers}) == count
        finally:
            await close(employee)
        assert "matrix: rate limited, waiting" in gateway.log()

    asyncio.run(scenario())
