"""The Matrix channel against a real Synapse, driven by matrix-nio users."""

import asyncio
import json
import os
import time
import re
import subprocess
import urllib.request

from conftest import Gateway
from people import BOT, PATIENCE, close, people

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
    ("Asiakas tarvitsee vertaistukea arjen hallintaan.", "Kuinka monta tapaamiskertaa"),
    ("1", "Tarkista tilaus"),
]


def run(scenario):
    asyncio.run(scenario())


def test_employee_orders_in_a_direct_room(gateway):
    async def scenario():
        employee, coordinator = await people(gateway.users["employee"], gateway.users["coordinator"])
        try:
            room = await employee.open_dm_with_bot()
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
            room = await employee.open_dm_with_bot()
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


def test_a_gap_in_the_timeline_is_filled(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            gateway.stop()
            # More messages than one sync shows (its timeline limit is 50): the sync after the
            # restart is "limited", and the rest must come from /messages.
            count = 130
            for index in range(count):
                await employee.send(room, "tila")
            gateway.start()
            await employee.wait_for(lambda: len(employee.bot_notices(room)) >= count, f"{count} answers", patience=180)
            await employee.sync()
            assert len(employee.bot_notices(room)) == count
        finally:
            await close(employee)
        assert "matrix: filled a gap in the timeline" in gateway.log()

    run(scenario)


def test_homeserver_restart_while_the_gateway_runs(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
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


def test_a_room_that_becomes_encrypted_is_left_with_a_notice(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert "Millaiseen tehtävään" in await employee.ask(room, "tilaa")
            response = await employee.client.room_put_state(room, "m.room.encryption",
                                                            {"algorithm": "m.megolm.v1.aes-sha2"})
            assert hasattr(response, "event_id"), response
            assert (await employee.next_from_bot(room)).startswith("Tämä keskustelu on salattu")
            await employee.wait_bot_membership(room, "leave")
            plain = await employee.wait_for(lambda: employee.invites and employee.invites[-1],
                                            "an invite to an unencrypted room")
            await employee.join(plain)
            # The conversation goes on where it was, in the new room.
            assert "Mistä aiheesta" in await employee.ask(plain, "1")
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


def test_the_bot_stays_out_of_rooms_with_other_people(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            # An expert and an employee never meet in a room through the bot.
            room = await employee.create_room_inviting_bot(others=[f"@{gateway.users['expert']}:localhost"])
            await employee.wait_bot_membership(room, "leave")
            assert employee.bot_notices(room) == []
        finally:
            await close(employee)
        assert "matrix: left a room with other people in it" in gateway.log()

    run(scenario)


def test_a_lost_session_is_replaced_by_a_new_login(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert "Millaiseen tehtävään" in await employee.ask(room, "tilaa")
            # The homeserver forgets the bot's device and its token (M_UNKNOWN_TOKEN).
            admin("DELETE", "/_synapse/admin/v2/users/@bot:localhost/devices/KOKEMUSTEST")
            assert "Mistä aiheesta" in await employee.ask(room, "1")
        finally:
            await close(employee)
        assert "matrix: access token no longer valid; logging in again" in gateway.log()

    run(scenario)


def test_a_refused_login_is_tried_again_until_it_works(gateway):
    """The homeserver logs the bot out and refuses its password for a while: the gateway logs
    an error, keeps trying with back-off instead of exiting, and answers once it is let in."""
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert "Millaiseen tehtävään" in await employee.ask(room, "tilaa")
            admin("PUT", "/_synapse/admin/v2/users/@bot:localhost", {"password": "changed-for-a-while", "logout_devices": True})
            await employee.send(room, "1")
            deadline = time.monotonic() + PATIENCE
            while "matrix: logging in again failed; trying again" not in gateway.log():
                assert time.monotonic() < deadline and gateway.process.poll() is None, gateway.log()[-2000:]
                time.sleep(0.05)  # polling the log for an event, not a timing assumption
            admin("PUT", "/_synapse/admin/v2/users/@bot:localhost", {"password": "pass-bot", "logout_devices": False})
            assert "Mistä aiheesta" in await employee.next_from_bot(room)
        finally:
            # Whatever happened, the next tests' bot logs in with its own password.
            admin("PUT", "/_synapse/admin/v2/users/@bot:localhost", {"password": "pass-bot", "logout_devices": False})
            await close(employee)

    run(scenario)


def admin(method, path, body=None):
    request = urllib.request.Request(f"{os.environ['MATRIX_HOMESERVER_URL']}{path}", json.dumps(body or {}).encode(),
                                     {"Authorization": f"Bearer {os.environ['MATRIX_ADMIN_TOKEN']}",
                                      "Content-Type": "application/json"}, method=method)
    urllib.request.urlopen(request).read()


def restart_synapse():
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "synapse")
    subprocess.run([script, "stop"], check=True)
    subprocess.run([script, "start"], check=True, stdout=subprocess.DEVNULL)


def test_sigterm_ends_a_long_poll_at_once(tmp_path):
    # A five-minute long-poll: without cancelling the transfer, SIGTERM would wait it out and
    # the generous bound below would pass by.
    gateway = Gateway(tmp_path, {"anna": "matrix", "kalle": "matrix", "kaisa": "matrix"}, sync_timeout=300)
    gateway.start()
    try:
        assert gateway.stop(patience=30) == 0
    finally:
        gateway.stop(kill=True)


def test_messages_written_while_the_gateway_was_down_are_handled_together(gateway):
    """Three answers written while the gateway is stopped come in one sync; they are handled
    in order as one commit (group commit) and each answered once."""
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert ORDER_ANSWERS[0][1] in await employee.ask(room, ORDER_ANSWERS[0][0])
            assert gateway.stop() == 0
            sent = [await employee.send(room, answer) for answer, _ in ORDER_ANSWERS[1:4]]
            # The homeserver streams all three before the gateway starts (on a loaded machine
            # its first sync could otherwise come between them, and the test would be about that).
            await employee.wait_for(lambda: {e.get("event_id") for e in employee.events.get(room, [])} >= set(sent),
                                    "the three answers in the room's timeline")
            gateway.start()
            for _, expected in ORDER_ANSWERS[1:4]:
                assert expected in await employee.next_from_bot(room)
            assert ORDER_ANSWERS[4][1] in await employee.ask(room, ORDER_ANSWERS[4][0])
            await employee.sync(timeout=1000)
            assert len(employee.bot_notices(room)) == 5
        finally:
            await close(employee)

    run(scenario)
    assert "matrix: 3 messages from one sync handled together" in gateway.log()
