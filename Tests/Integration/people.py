"""Scripted Matrix users for the integration tests, driven by a real third-party client
(matrix-nio). Each person keeps its own sync position and a log of what it has seen, so a
test waits for an event to arrive rather than sleeping."""

import asyncio
import os
import time

from nio import AsyncClient, LoginResponse, RoomCreateResponse, JoinResponse

HOMESERVER = os.environ.get("MATRIX_HOMESERVER_URL", "http://127.0.0.1:8008")
BOT = "@bot:localhost"
# Upper bound for a wait; a test fails when it passes. Not used as synchronisation.
PATIENCE = float(os.environ.get("KOKEMUS_TEST_PATIENCE", "60"))


class Person:
    def __init__(self, name):
        self.name = name
        self.user_id = f"@{name}:localhost"
        self.client = AsyncClient(HOMESERVER, self.user_id, device_id=f"TEST{name.upper()}")
        self.since = None
        self.events = {}      # room id -> list of event dicts, in order
        self.invites = []     # room ids the person was invited to
        self.consumed = {}    # room id -> how many bot notices a test has already read

    async def login(self):
        response = await self.client.login(f"pass-{self.name}")
        assert isinstance(response, LoginResponse), response
        # Start from now: earlier tests' rooms are not this test's business. The initial sync
        # may come from Synapse's two-minute response cache, so sync once more.
        await self.sync(timeout=0)
        await self.sync(timeout=0)
        self.events.clear()
        # Invites still pending are kept: the bot reuses a direct room it made earlier.
        self.invites = [room_id for room_id in self.client.invited_rooms]
        return self

    async def close(self):
        await self.client.close()

    async def sync(self, timeout=1000):
        # A large timeline limit: a test counts every event, and a limited timeline would hide some.
        response = await self.client.sync(timeout=timeout, since=self.since, full_state=False,
                                          sync_filter={"room": {"timeline": {"limit": 1000}}})
        if not hasattr(response, "next_batch"):
            return
        self.since = response.next_batch
        for room_id, room in response.rooms.join.items():
            for event in room.timeline.events:
                self.events.setdefault(room_id, []).append(event.source)
        for room_id in response.rooms.invite:
            if room_id not in self.invites:
                self.invites.append(room_id)

    async def wait_for(self, found, what, patience=PATIENCE):
        """Syncs until found() returns something truthy, and returns it."""
        deadline = time.monotonic() + patience
        while True:
            result = found()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: gave up waiting for {what}")
            await self.sync()

    async def create_dm_with_bot(self, encrypted=False):
        initial_state = []
        if encrypted:
            initial_state.append({"type": "m.room.encryption", "state_key": "",
                                  "content": {"algorithm": "m.megolm.v1.aes-sha2"}})
        response = await self.client.room_create(is_direct=True, invite=[BOT], initial_state=initial_state)
        assert isinstance(response, RoomCreateResponse), response
        return response.room_id

    async def open_dm_with_bot(self):
        """A direct room the bot has joined."""
        room = await self.create_dm_with_bot()
        await self.wait_bot_membership(room, "join")
        return room

    async def create_room_inviting_bot(self, others=()):
        response = await self.client.room_create(invite=[BOT, *others])
        assert isinstance(response, RoomCreateResponse), response
        return response.room_id

    async def accept_invites(self):
        for room_id in list(self.invites):
            await self.join(room_id)
            self.invites.remove(room_id)

    async def wait_for_bot_text(self, text):
        """A bot notice containing text, in any room, joining the bot's invites on the way
        (the bot writes to a direct room it made before, or makes one and invites)."""
        def found():
            for room_id in self.events:
                for notice in self.bot_notices(room_id):
                    if text in notice["content"]["body"]:
                        return notice["content"]["body"]
            return None
        deadline = time.monotonic() + PATIENCE
        while not found():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: gave up waiting for a bot message with {text!r}")
            await self.accept_invites()
            await self.sync()
        return found()

    def room_of(self, text):
        """The room of the bot's notice holding text; every notice there so far counts as read."""
        for room_id in self.events:
            if any(text in notice["content"]["body"] for notice in self.bot_notices(room_id)):
                self.consumed[room_id] = len(self.bot_notices(room_id))
                return room_id
        raise AssertionError(f"{self.name}: no room with {text!r}")

    def bot_membership(self, room_id):
        memberships = [e["content"].get("membership") for e in self.events.get(room_id, [])
                       if e.get("type") == "m.room.member" and e.get("state_key") == BOT]
        return memberships[-1] if memberships else None

    async def wait_bot_membership(self, room_id, membership):
        await self.wait_for(lambda: self.bot_membership(room_id) == membership, f"the bot to {membership} {room_id}")

    async def join(self, room_id):
        response = await self.client.join(room_id)
        assert isinstance(response, JoinResponse), response

    async def send(self, room_id, text):
        response = await self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": text})
        assert hasattr(response, "event_id"), response
        return response.event_id

    async def react(self, room_id, event_id, key):
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        response = await self.client.room_send(room_id, "m.reaction", content)
        assert hasattr(response, "event_id"), response

    def bot_notices(self, room_id):
        return [e for e in self.events.get(room_id, [])
                if e.get("sender") == BOT and e.get("type") == "m.room.message"
                and e["content"].get("msgtype") == "m.notice"]

    async def next_from_bot(self, room_id):
        """The next bot notice in the room that the test has not read yet."""
        read = self.consumed.get(room_id, 0)
        notices = await self.wait_for(lambda: len(self.bot_notices(room_id)) > read and self.bot_notices(room_id),
                                      f"a message from the bot in {room_id}")
        self.consumed[room_id] = read + 1
        return notices[read]["content"]["body"]

    async def ask(self, room_id, text):
        await self.send(room_id, text)
        return await self.next_from_bot(room_id)


async def people(*names):
    return [await Person(name).login() for name in names]


async def close(*persons):
    await asyncio.gather(*(person.close() for person in persons))
