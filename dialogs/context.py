"""What a conversation finds in the turn state besides the chat: the situation, the database, the member
directory, the last listing and the action the previous reply was about;."""

from __future__ import annotations

SITUATION_KEY = "samverkan.situation"
DATABASE_KEY = "samverkan.database"


def database_of(turn_context):
    """The bot's ``storage.Database`` for this turn (put there by the conversation)."""
    return turn_context.turn_state[DATABASE_KEY]
LISTING_KEY = "samverkan.listing"
MEMBERS_KEY = "samverkan.members"


def members_of(turn_context):
    """The handler's ``bot.members.MemberDirectory``: a change to a member forgets what it remembers."""
    return turn_context.turn_state[MEMBERS_KEY]


MENTIONED_KEY = "samverkan.mentioned"
PREVIOUS_KEY = "samverkan.previous_action"


async def mention_action(turn_context, number: int) -> None:
    """Remembers the action this reply is about, so the next message may call it "den" or "det"."""
    await turn_context.turn_state[MENTIONED_KEY].set(turn_context, number)


def previous_action(turn_context) -> int | None:
    """The action the previous reply created or showed, if any: what "skjut upp den" refers to."""
    return turn_context.turn_state.get(PREVIOUS_KEY)


def listing_of(turn_context):
    """The user's last paged list (a botbuilder state property), so "mer" can show the next page."""
    return turn_context.turn_state[LISTING_KEY]

