"""What is not an answer to the question the bot asked: a new request, or a side question.

People do not answer every question; they go on with the next thing ("vilka åtgärder är försenade"), log the
next observation, or ask "får jag skriva namnet?" in the middle of logging. A question that reads all of
that as its answer traps the user ("Den tiden förstår jag inte" until they find "avbryt"), or worse, stores
a new request as a postponement's reason. Two readings, one per kind of interruption:

- ``new_request``: a message the question gives way to; the conversation says what it leaves unsaved and
  the message is read as new. For a free-text answer (a title, a reason, a place) only a clear command
  counts, since any sentence could be the answer.
- ``side_question``: a question about the rules or a thanks, answered while the question waits.
"""

from __future__ import annotations

import re

from dialogs.answers import is_no, is_yes
from dialogs.nlu import Understanding, understand
from domain.situation import Situation
from domain.text import words

SURE = 0.7
# What a free-text answer might be read as by mistake: only these are taken as a change of subject there.
_COMMANDS = frozenset({"create_action", "list_actions", "complete_action", "postpone_action", "reassign_action",
                       "cancel_action", "show_action", "more", "show_situation", "next_meeting", "remind_me",
                       "list_reminders", "cancel_reminder", "show_promises", "meeting_brief", "move_meeting",
                       "cancel_meeting", "schedule_meeting", "list_observations", "show_observation",
                       "undo_observation", "delete_observation", "restore_observation", "correct_observation",
                       "mark_sensitive", "snooze_action", "agreement_info", "whoami", "create_promise",
                       "link_promise", "unlink_promise"})
_NOT_NEW = frozenset({"unknown", "help", "thanks"})
MIN_LOG_WORDS = 4
# A saved item named by its number ("#O3", "#12", "observation 3", "åtgärd 12"): no answer to a draft's question.
_SAVED_ITEM = re.compile(r"#\s*[oO]?\d+\b|\b(?:observation(?:en)?|åtgärd(?:en)?|atgard(?:en)?)\s+(?:nr\.?\s*)?\d+\b",
                         re.IGNORECASE)  # a new log entry is a sentence, not "igår kväll" or "ANDTS"


def read(text: str, situation: Situation) -> Understanding:
    return understand(text, situation.local_now.replace(tzinfo=None), situation.collaboration,
                      member_names=situation.member_names, screened=True)


def new_request(text: str, situation: Situation, *, free_text: bool) -> bool:
    """Whether ``text`` is clearly a new message rather than the answer. ``free_text``: the question takes
    any words, so only a command counts; otherwise a new log entry or any confident request does."""
    reading = read(text, situation)
    if reading.unsure or reading.confidence < SURE or reading.intent in _NOT_NEW:
        return False
    if reading.intent == "log_observation":
        return not free_text and len(words(text)) >= MIN_LOG_WORDS
    return reading.intent in _COMMANDS or (not free_text and reading.intent != "comment_action")


def side_question(text: str, situation: Situation) -> Understanding | None:
    """A question about the bot or its rules ("får jag skriva personnummer här?") or a thanks, which is
    answered while the question waits; not "hjälp" alone, which opens the menu and leaves the question, nor
    "ok", which answers a confirmation."""
    if is_yes(text) or is_no(text):
        return None
    reading = read(text, situation)
    if reading.unsure or reading.confidence < SURE:
        return None
    if reading.intent == "help" and reading.slots.get("topic"):
        return reading
    if reading.intent == "thanks" and not reading.slots.get("goodbye"):
        return reading
    return None


def command_on_saved_item(text: str, situation: Situation) -> bool:
    """A command that names a saved item by number ("ändra #O3 tid till fredag", "#12 klar"): run as a
    request of its own while a draft's question waits, never read as the draft's time, place or text."""
    return _SAVED_ITEM.search(text) is not None and new_request(text, situation, free_text=True)
