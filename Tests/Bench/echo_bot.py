"""A minimal matrix-nio echo bot: the reference floor for the Matrix benchmark. It answers
every text message in the rooms it is in with a notice of the same text, and joins every
room it is invited to. Usage: echo_bot.py USER PASSWORD (homeserver from MATRIX_HOMESERVER_URL)."""

import asyncio
import os
import sys

from nio import AsyncClient, InviteMemberEvent, RoomMessageText


async def main(user, password):
    client = AsyncClient(os.environ["MATRIX_HOMESERVER_URL"], user, device_id="ECHOBOT")
    await client.login(password)
    await client.sync(timeout=0)

    async def on_message(room, event):
        if event.sender != user:
            await client.room_send(room.room_id, "m.room.message", {"msgtype": "m.notice", "body": event.body})

    async def on_invite(room, event):
        if event.state_key == user:
            await client.join(room.room_id)

    client.add_event_callback(on_message, RoomMessageText)
    client.add_event_callback(on_invite, InviteMemberEvent)
    print("echo: ready", flush=True)
    await client.sync_forever(timeout=30000)


asyncio.run(main(sys.argv[1], sys.argv[2]))
