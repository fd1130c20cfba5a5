"""Each intent's slot reader, for an intent the classifier chose (``slots_for``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from dialogs.nlu.promises import read_create, read_link, read_show
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.action_changes import _with_ref
from dialogs.nlu.rules.actions import _create, _list_done_or_due
from dialogs.nlu.rules.agreement import _agreement
from dialogs.nlu.rules.conversation import _help
from dialogs.nlu.rules.meetings import _meeting_for, _move_meeting
from dialogs.nlu.rules.message import _Message
from dialogs.nlu.rules.observations import _list_observations, _log
from dialogs.nlu.rules.reminders import _cancel_reminder, _remind
from dialogs.nlu.rules.situation import _situation
from dialogs.nlu.slots import Words
from domain.text import fold


def slots_for(intent: str, clean: str, now: datetime, config: Any,
              member_names: tuple[str, ...] = ()) -> Understanding:
    """The slots of ``intent`` in the message, read as if the rules had chosen it."""
    message = _Message(Words.of(clean), fold(clean), now, config, member_names, clean)
    reader = _READERS.get(intent)
    return reader(message) if reader is not None else Understanding(intent)


_READERS: dict[str, Callable[[_Message], Understanding]] = {
    "log_observation": _log,
    "show_situation": _situation,
    "list_actions": _list_done_or_due,
    "create_action": _create,
    "remind_me": _remind,
    "agreement_info": _agreement,
    "help": _help,
    "list_observations": _list_observations,
    "cancel_reminder": _cancel_reminder,
    "move_meeting": _move_meeting,
    "show_promises": lambda message: read_show(message.words),
    "create_promise": lambda message: read_create(message.clean),
    **{intent: lambda message, intent=intent: read_link(message.words, message.folded, intent, loose=True)
       for intent in ("link_promise", "unlink_promise")},
    **{intent: _meeting_for(intent) for intent in (
        "next_meeting", "meeting_brief", "schedule_meeting", "cancel_meeting", "bind_channel", "unbind_channel")},
    **{intent: _with_ref(intent) for intent in (
        "complete_action", "postpone_action", "show_action", "comment_action", "cancel_action", "reassign_action",
        "snooze_action")},
}
