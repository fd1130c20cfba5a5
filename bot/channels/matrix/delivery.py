"""The scheduler's Matrix side: speaking first, in a stored room or a member's direct room.

The outbox hands ``MatrixDelivery`` a target and an activity and gets back what happened: sent, to be retried
(Matrix still connecting, a rate limit that persists, a network error) or gone (the bot is no longer in a
shared room). A member without a usable direct room gets a new one (``is_direct``, encrypted when encryption
is on), which the outbox then keeps as the member's reference.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.schema import Activity
from nio import RoomCreateError, RoomPreset

from bot.channels.matrix.activities import CHANNEL_ID, personal_reference
from bot.channels.matrix.adapter import MatrixAdapter, MatrixSendError, send_error
from bot.channels.proactive import Delivery, Target

log = logging.getLogger(__name__)

ENCRYPTION_STATE = {"type": "m.room.encryption", "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
ROOM_WAIT = 30.0  # seconds a new direct room may take to come back through the sync
NOT_READY_RETRY = 60.0  # seconds before the outbox tries again while Matrix is still connecting


class MatrixDelivery:
    """The scheduler's Matrix side: a stored room (a bound room, or a member's direct room), or a new direct
    room with a member (``is_direct``, encrypted when encryption is on) that the outbox then keeps.

    ``wait_for_room`` is the sync loop's: a new room can take encrypted messages only once its state (with the
    invited member, whose devices get the room key) came back through a sync."""

    def __init__(self, adapter: MatrixAdapter, *, homeserver: str, encryption: bool,
                 wait_for_room: Callable[..., Awaitable[bool]], ready: Callable[[], bool] = lambda: True):
        self.adapter = adapter
        self.homeserver = homeserver
        self.encryption = encryption
        self.wait_for_room = wait_for_room
        self.ready = ready

    async def send(self, target: Target, activity: Activity) -> tuple[Delivery, Target | None]:
        if not self.ready():  # logging in or reconnecting: rooms are unknown, which is not "gone"
            return Delivery("retry", "Matrix is not connected yet", NOT_READY_RETRY), None
        try:
            opened: Target | None = None
            conversation = (target.reference or {}).get("conversation") or {}
            room_id = conversation.get("id")
            if room_id and not self._usable(room_id, conversation.get("conversationType") == "personal"):
                # A member who left their direct room gets a new one rather than a post to nobody; a shared
                # room the bot is no longer in is gone (the scheduler stops using it and tells the admins).
                user = ((target.reference or {}).get("user") or {}).get("id")
                if conversation.get("conversationType") != "personal" or not user:
                    return Delivery("gone", "the bot is not in the room"), None
                room_id = None
                target = Target(channel=CHANNEL_ID, user_id=user)
            if room_id is None:
                if not target.user_id:
                    return Delivery("gone", "no room and no user to open one with"), None
                room_id = await self.open_direct(target.user_id)
                opened = Target(channel=CHANNEL_ID, reference=personal_reference(
                    room_id, target.user_id, bot_user_id=self.adapter.user_id, homeserver=self.homeserver))
            await self.adapter.post(room_id, activity)
            return Delivery("sent"), opened
        except MatrixSendError as error:
            log.warning("Matrix proactive send failed: %s", error)
            if error.gone:
                return Delivery("gone", str(error)[:200]), None
            return Delivery("retry", str(error)[:200], error.retry_after), None
        except Exception as error:  # network errors, timeouts, nio's own (e.g. SendRetryError): try again later
            log.warning("Matrix proactive send failed: %r", error)
            return Delivery("retry", type(error).__name__), None

    def _usable(self, room_id: str, personal: bool) -> bool:
        room = self.adapter.client.rooms.get(room_id)
        if room is None:
            return False
        return not personal or room.member_count >= 2

    async def open_direct(self, user_id: str) -> str:
        response = await self.adapter.client.room_create(
            is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat,
            initial_state=[ENCRYPTION_STATE] if self.encryption else [])
        if isinstance(response, RoomCreateError):
            raise send_error(response, "room creation")
        log.info("opened a direct room %s with %s", response.room_id, user_id)
        if not await self.wait_for_room(response.room_id, ROOM_WAIT, member=user_id, encrypted=self.encryption):
            raise MatrixSendError(f"the new room {response.room_id} did not come back through the sync")
        return response.room_id
