"""Each intent's slot reader, for an intent the classifier chose (``slots_for``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from dialogs.nlu.promises import read_create, read_link, read_show
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.action_changes import with_ref
from dialogs.nlu.rules.actions import read_create_action, read_list_done_or_due
from dialogs.nlu.rules.agreement import read_agreement
from dialogs.nlu.rules.conversation import read_help
from dialogs.nlu.rules.meetings import meeting_for, read_move_meeting
from dialogs.nlu.rules.message import Message
from dialogs.nlu.rules.observations import read_list_observations, read_log
from dialogs.nlu.rules.reminders import read_cancel_reminder, read_remind
from dialogs.nlu.rules.situation import read_situation
from dialogs.nlu.slots import Words
from domain.text import fold


def slots_for(intent: str, clean: str, now: datetime, config: Any,
              member_names: tuple[str, ...] = ()) -> Understanding:
    """The slots of ``intent`` in the message, read as if the rules had chosen it."""
    message = Message(Words.of(clean), fold(clean), now, config, member_names, clean)
    reader = _READERS.get(intent)
    return reader(message) if reader is not None else Understanding(intent)


_READERS: dict[str, Callable[[Message], Understanding]] = {
    "log_observation": read_log,
    "show_situation": read_situation,
    "list_actions": read_list_done_or_due,
    "create_action": read_create_action,
    "remind_me": read_remind,
    "agreement_info": read_agreement,
    "help": read_help,
    "list_observations": read_list_observations,
    "cancel_reminder": read_cancel_reminder,
    "move_meeting": read_move_meeting,
    "show_promises": lambda message: read_show(message.words),
    "create_promise": lambda message: read_create(message.clean),
    **{intent: lambda message, intent=intent: read_link(message.words, message.folded, intent, loose=True)
       for intent in ("link_promise", "unlink_promise")},
    **{intent: meeting_for(intent) for intent in (
        "next_meeting", "meeting_brief", "schedule_meeting", "cancel_meeting", "bind_channel", "unbind_channel")},
    **{intent: with_ref(intent) for intent in (
        "complete_action", "postpone_action", "show_action", "comment_action", "cancel_action", "reassign_action",
        "snooze_action")},
}
