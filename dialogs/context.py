"""What a conversation finds in the turn state besides the chat: the situation, the database, the member
directory, the last listing and the action the previous reply was about; and the unit of work of a turn."""

from __future__ import annotations

from services.unit_of_work import Actor, UnitOfWork

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


COMMITTED_KEY = "samverkan.committed"


def unit_of_work(turn_context, situation):
    """A ``services.UnitOfWork`` for one thing this turn's user does, acting as the asker on this channel.

    A commit marks the turn, so a failure after it tells the user what was saved instead of "inget har
    sparats"."""
    def committed() -> None:
        turn_context.turn_state[COMMITTED_KEY] = True

    actor = Actor(member_id=situation.asker.member_id, channel=turn_context.activity.channel_id, now=situation.now)
    return UnitOfWork(database_of(turn_context), actor, zone=situation.collaboration.timezone, on_commit=committed)


def saved_this_turn(turn_context) -> bool:
    """Whether anything this turn did was committed (read by the turn's error handler)."""
    return bool(turn_context.turn_state.get(COMMITTED_KEY))
