"""A room is private or it is left: over a real Synapse, with matrix-nio users who invite
others into rooms with the bot, leave rooms, and answer offers with reactions."""

import asyncio
import re
import time

from people import PATIENCE, close, people
from test_matrix_channel import ORDER_ANSWERS

LEFT_NOTICE = "Huoneeseen, jossa keskustelimme, tuli muitakin"


def run(scenario):
    asyncio.run(scenario())


def texts(person, room):
    return [notice["content"]["body"] for notice in person.bot_notices(room)]


def room_with(person, text):
    return next(room for room in person.events for body in texts(person, room) if text in body)


async def place_order(employee, room):
    for answer, expected in ORDER_ANSWERS:
        reply = await employee.ask(room, answer)
        assert expected in reply, (answer, reply)
    return re.search(r"T-\d{4}-\d{4}", await employee.ask(room, "kyllä")).group(0)


async def answer_to(person, room, text, prefix):
    """Sends text and waits for a new bot notice in the room that starts with prefix."""
    await person.sync()
    seen = len(texts(person, room))
    await person.send(room, text)
    return await person.wait_for(lambda: next((body for body in texts(person, room)[seen:] if body.startswith(prefix)), None),
                                 f"an answer starting {prefix!r}")


def wait_for_log(gateway, line):
    deadline = time.monotonic() + PATIENCE
    while line not in gateway.log():
        assert time.monotonic() < deadline, f"gave up waiting for {line!r} in the log"
        time.sleep(0.05)  # polling the log file for an event, not a timing assumption


def test_a_thumbs_up_takes_an_offer_and_a_room_a_third_person_is_invited_to_is_left(gateway):
    async def scenario():
        employee, expert = await people(gateway.users["employee"], gateway.users["expert"])
        try:
            own = await employee.open_dm_with_bot()
            order_id = await place_order(employee, own)

            # The expert takes the offer with a 👍 on it.
            offer_text = f"Sinulle tarjotaan tehtävää {order_id}"
            await expert.wait_for_bot_text(offer_text)
            offer_room = room_with(expert, offer_text)
            offer = next(n for n in expert.bot_notices(offer_room) if offer_text in n["content"]["body"])
            await expert.react(offer_room, offer["event_id"], "👍")
            found = await employee.next_from_bot(own)
            assert f"Tilaukseesi {order_id} on löytynyt kokemusasiantuntija" in found, found

            # Her contacts stay hers over a real homeserver too: colloquial number words and a
            # Matrix ID on a server name without a dot are held, and she is told so.
            await expert.wait_for_bot_text("on vahvistettu sinulle")
            expert_room = room_with(expert, "on vahvistettu sinulle")
            for disguised in (f"viesti {order_id} soita nolla nelkyt viis kuus kasi ysi seittemän kaks yks",
                              f"viesti {order_id} löydät mut {expert.user_id}"):
                await answer_to(expert, expert_room, disguised, "Viestiä ei välitetty")
            await answer_to(expert, expert_room, f"viesti {order_id} Nähdään tiistaina aulassa.", "Viesti välitetty")
            passed_on = await employee.next_from_bot(own)
            assert "Nähdään tiistaina aulassa." in passed_on and expert.user_id not in passed_on

            # A second room of her own with the bot is served while it is theirs alone.
            shared = await employee.create_room_inviting_bot()
            await employee.wait_bot_membership(shared, "join")
            assert order_id in await employee.ask(shared, "tila")

            # She invites the expert: the bot leaves at once and tells her in her own room.
            response = await employee.client.room_invite(shared, expert.user_id)
            assert not hasattr(response, "status_code"), response
            await employee.wait_bot_membership(shared, "leave")
            told = await employee.wait_for_bot_text(LEFT_NOTICE)
            assert LEFT_NOTICE in told and all(LEFT_NOTICE not in body for body in texts(employee, shared))
            assert LEFT_NOTICE in texts(employee, own)[-1]
            employee.consumed[own] = len(employee.bot_notices(own))

            # Nothing said in the shared room reaches anyone any more.
            await expert.join(shared)
            await employee.send(shared, f"viesti {order_id} soita minulle huomenna")
            await expert.send(shared, "hei Anna")
            await employee.client.room_leave(shared)

            # Her own room still serves her, and the answer comes there.
            assert (await employee.ask(own, "apua")).startswith("Voit aloittaa")
            await employee.sync()
            await expert.sync()
            assert len(texts(employee, shared)) == 1, texts(employee, shared)
            for room in expert.events:
                assert not any("soita minulle" in body for body in texts(expert, room))
            assert all("Viesti välitetty" not in body for body in texts(employee, shared))
        finally:
            await close(employee, expert)
        assert "matrix: left a room someone else was invited to or joined" in gateway.log()

    run(scenario)


def test_a_room_its_person_left_is_left_and_they_are_served_in_a_new_one(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            first = await employee.open_dm_with_bot()
            assert ORDER_ANSWERS[0][1] in await employee.ask(first, ORDER_ANSWERS[0][0])
            await employee.client.room_leave(first)
            wait_for_log(gateway, "matrix: left a room its person left")
            second = await employee.open_dm_with_bot()
            # The conversation goes on where it was, in the new room, and only there.
            assert ORDER_ANSWERS[1][1] in await employee.ask(second, ORDER_ANSWERS[1][0])
        finally:
            await close(employee)

    run(scenario)


def test_no_one_but_the_bot_can_open_its_own_room(gateway):
    async def scenario():
        coordinator, employee = await people(gateway.users["coordinator"], gateway.users["employee"])
        try:
            # The employee's order makes the bot open a room of its own with the coordinator.
            own = await employee.open_dm_with_bot()
            order_id = await place_order(employee, own)
            await coordinator.wait_for_bot_text(f"Uusi tilaus {order_id}")
            bots_room = room_with(coordinator, f"Uusi tilaus {order_id}")
            # She can neither let the employee in nor open the room to anyone: the homeserver refuses.
            invited = await coordinator.client.room_invite(bots_room, employee.user_id)
            assert getattr(invited, "status_code", None) == "M_FORBIDDEN", invited
            for event, content in (("m.room.join_rules", {"join_rule": "public"}),
                                   ("m.room.history_visibility", {"history_visibility": "world_readable"})):
                opened = await coordinator.client.room_put_state(bots_room, event, content)
                assert getattr(opened, "status_code", None) == "M_FORBIDDEN", opened
            # The room is still theirs and the bot still answers there.
            coordinator.consumed[bots_room] = len(coordinator.bot_notices(bots_room))
            assert (await coordinator.ask(bots_room, "apua")).startswith(("Voit aloittaa", "Hei Kaisa"))
        finally:
            await close(coordinator, employee)

    run(scenario)


def test_a_room_its_person_opens_to_anyone_is_left(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            assert ORDER_ANSWERS[0][1] in await employee.ask(room, ORDER_ANSWERS[0][0])
            opened = await employee.client.room_put_state(room, "m.room.history_visibility",
                                                          {"history_visibility": "world_readable"})
            assert hasattr(opened, "event_id"), opened
            await employee.wait_bot_membership(room, "leave")
            await employee.wait_for_bot_text(LEFT_NOTICE)
            assert all(LEFT_NOTICE not in body for body in texts(employee, room))
        finally:
            await close(employee)

    run(scenario)


def test_a_thumbs_up_answers_only_the_newest_question(gateway):
    async def scenario():
        (employee,) = await people(gateway.users["employee"])
        try:
            room = await employee.open_dm_with_bot()
            first = await employee.send(room, "tilaa")
            question = await employee.wait_for(lambda: [n for n in employee.bot_notices(room)
                                                        if "Millaiseen tehtävään" in n["content"]["body"]],
                                               "the first question")
            employee.consumed[room] = len(employee.bot_notices(room))
            for answer, expected in ORDER_ANSWERS[1:]:
                assert expected in await employee.ask(room, answer), answer
            # A 👎 on her own first message or on the first question answers nothing (before, it
            # said no to whatever question was open: here, the order)…
            await employee.react(room, first, "👎")
            await employee.react(room, question[0]["event_id"], "👎")
            # …a 👍 on the summary, the newest message, sends the order.
            summary = employee.bot_notices(room)[-1]
            await employee.react(room, summary["event_id"], "👍")
            done = await employee.next_from_bot(room)
            assert "on tallennettu" in done, done
            await employee.sync()
            assert len(employee.bot_notices(room)) == employee.consumed[room]
        finally:
            await close(employee)

    run(scenario)
