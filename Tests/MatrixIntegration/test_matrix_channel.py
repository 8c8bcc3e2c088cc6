"""The Matrix channel against a real Synapse, driven by matrix-nio users."""

import asyncio
import os
import re
import subprocess

from people import BOT, close, people

ORDER_ANSWERS = [
    ("tilaa", "Millaiseen tehtävään"),
    ("1", "Mistä aiheesta"),
    ("2", "Minkä yksikön"),
    ("1", "Milloin?"),
    ("8.12.2027 klo 14", "Kuinka kauan"),
    ("1,5 h", "paikan päällä vai etänä"),
    ("2", "Millä kielellä"),
    ("1", "Kenelle"),
    ("1", "Kuvaa tarve lyhyesti"),
    ("Asiakas tarvitsee vertaistukea arjen hallintaan.", "Tarkista tilaus"),
]


def run(scenario):
    asyncio.run(scenario())


def test_employee_orders_in_a_direct_room(gateway):
    async def scenario():
        employee, coordinator = await people(gateway.users["employee"], gateway.users["coordinator"])
        try:
            room = await employee.create_dm_with_bot()
            await employee.wait_bot_membership(room, "join")
            for answer, expected in ORDER_ANSWERS:
                reply = await employee.ask(room, answer)
                assert expected in reply, (answer, reply)
            # A 👍 on the summary answers the yes/no question.
            summary_id = employee.bot_notices(room)[-1]["event_id"]
            await employee.react(room, summary_id, "👍")
            done = await employee.next_from_bot(room)
            order_id = re.search(r"T-\d{4}-\d{4}", done).group(0)
            assert "on tallennettu" in done

            # The coordinator is told in a direct room of the bot's own.
            told = await coordinator.wait_for_bot_text(f"Uusi tilaus {order_id}")
            assert "Anna Virtanen" in told

            # Bot messages are notices with HTML and no mentions.
            content = employee.bot_notices(room)[0]["content"]
            assert content["format"] == "org.matrix.custom.html" and content["m.mentions"] == {}
        finally:
            await close(employee, coordinator)
        # The store is the gateway's while it runs; stopped, the order is there.
        assert gateway.stop() == 0
        listing = gateway.cli("orders", "list")
        assert listing.returncode == 0, listing.stderr
        assert order_id in listing.stdout and "2027-12-08T14:00" in listing.stdout

    run(scenario)


def test_restart_mid_conversation_loses_and_repeats_nothing(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.create_dm_with_bot()
            await employee.wait_bot_membership(room, "join")
            for answer, expected in ORDER_ANSWERS[:4]:
                assert expected in await employee.ask(room, answer)
            # Killed without warning; an answer arrives while it is down.
            gateway.stop(kill=True)
            await employee.send(room, ORDER_ANSWERS[4][0])
            gateway.start()
            assert ORDER_ANSWERS[4][1] in await employee.next_from_bot(room)
            # A clean restart too, then the rest of the flow.
            gateway.restart()
            for answer, expected in ORDER_ANSWERS[5:]:
                assert expected in await employee.ask(room, answer)
            assert "on tallennettu" in await employee.ask(room, "kyllä")
            # Every answer came exactly once: one notice per message sent.
            await employee.sync()
            bodies = [event["content"]["body"] for event in employee.bot_notices(room)]
            assert len(bodies) == len(ORDER_ANSWERS) + 1, bodies
        finally:
            await close(employee)

    run(scenario)


def test_homeserver_restart_while_the_gateway_runs(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.create_dm_with_bot()
            await employee.wait_bot_membership(room, "join")
            assert "Millaiseen tehtävään" in await employee.ask(room, "tilaa")
        finally:
            await close(employee)
        restart_synapse()
        (employee,) = await people(gateway.users["employee"])
        try:
            employee.consumed[room] = 0
            reply = await employee.ask(room, "3")
            assert "Kuinka monta ryhmäkertaa" in reply, reply
            assert gateway.process.poll() is None
        finally:
            await close(employee)
        assert "matrix: sync failed, retrying" in gateway.log()

    run(scenario)


def test_encrypted_direct_room_gets_a_notice_and_a_plain_room(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            encrypted = await employee.create_dm_with_bot(encrypted=True)
            notice = await employee.next_from_bot(encrypted)
            assert notice.startswith("Tämä keskustelu on salattu")
            await employee.wait_bot_membership(encrypted, "leave")
            plain = await employee.wait_for(lambda: employee.invites and employee.invites[-1],
                                            "an invite to an unencrypted room")
            await employee.join(plain)
            assert "Millaiseen tehtävään" in await employee.ask(plain, "tilaa")
            # Only one notice, however often the room is seen.
            await employee.sync()
            assert len(employee.bot_notices(encrypted)) == 1
        finally:
            await close(employee)

    run(scenario)


def test_invite_from_a_stranger_is_refused(gateway):
    async def scenario():
        (stranger,) = await people(gateway.users["stranger"])
        try:
            room = await stranger.create_room_inviting_bot()
            await stranger.wait_bot_membership(room, "leave")
            assert stranger.bot_notices(room) == []
        finally:
            await close(stranger)
        assert "refused an invite from someone not in the registry" in gateway.log()

    run(scenario)


def restart_synapse():
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "synapse")
    subprocess.run([script, "stop"], check=True)
    subprocess.run([script, "start"], check=True, stdout=subprocess.DEVNULL)
