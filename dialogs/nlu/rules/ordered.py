"""The rules in the order they are tried: the first that matches reads the message (``rule_reading``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.promises import promise_reading, read_show
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.action_changes import _action_change
from dialogs.nlu.rules.actions import _ACTIONS, _CREATE, _DONE_QUESTION, _WHO_OWNS, _create, _list_actions
from dialogs.nlu.rules.agreement import _AGREEMENT_TOPICS, _DEFINITION, _PROMISES, _agreement, _names_only_an_entry
from dialogs.nlu.rules.conversation import (
    _ABOUT_REPORTING,
    _ACK,
    _GOODBYE,
    _HELP,
    _HELP_QUESTION,
    _MORE,
    _THANKS,
    _help,
    asks_what_may_be_written,
)
from dialogs.nlu.rules.meetings import _BRIEF, _CALENDAR, _MEETING, _OWN_CALENDAR, _meeting
from dialogs.nlu.rules.members import (
    _ADD_MEMBER,
    _DOMAIN_NOUNS,
    _NOT_ROLES,
    _WHO_IS,
    _WHOAMI,
    _add_member,
    _managed_member,
)
from dialogs.nlu.rules.message import _filled, _Message, _span, _written_tail
from dialogs.nlu.rules.observations import _LOG, _OBSERVATION_REF, _UNDO, _log, _observation_ref, is_log_command
from dialogs.nlu.rules.reminders import (
    _CANCEL_REMINDER,
    _LIST_REMINDERS,
    _REMIND,
    _SETTING_DIGEST,
    _SETTING_NOT_BEFORE,
    _SNOOZE,
    _cancel_reminder,
    _remind,
)
from dialogs.nlu.rules.situation import _ASKS_THE_LOG, _OFF_TOPIC, _SITUATION, _situation
from dialogs.nlu.slots import Words, find_ref, find_status
from domain.text import fold


def rule_reading(clean: str, now: datetime, config: Any, member_names: tuple[str, ...] = ()) -> Understanding:
    """What the rules read in one message (whitespace already collapsed), at ``now`` (local, naive)."""
    folded = fold(clean)
    words = Words.of(clean)

    if _HELP.match(folded):
        return Understanding("help")
    if _HELP_QUESTION.match(folded):
        return _help(_Message(words, folded, now, config, member_names, clean))
    if asks_what_may_be_written(folded):
        return Understanding("help", {"topic": "privacy"})
    if _GOODBYE.match(folded):
        return Understanding("thanks", {"goodbye": True})
    if _THANKS.match(folded):
        return Understanding("thanks")
    if _ACK.match(folded):
        return Understanding("thanks", {"ack": True})
    if _ABOUT_REPORTING.search(folded):
        return Understanding("help", {"topic": "concern"})
    if _WHOAMI.match(folded):
        return Understanding("whoami")
    if _ADD_MEMBER.search(folded):
        return _add_member(clean, folded)
    if managed := _managed_member(clean, folded):
        return managed
    if _MORE.match(folded):
        return Understanding("more")
    if _UNDO.match(folded):
        return Understanding("undo_observation")
    observation = _OBSERVATION_REF.search(folded)
    if observation:
        return _observation_ref(clean, folded, observation, config, now)
    promise = promise_reading(words, folded, clean)
    if promise is not None:
        return promise
    message = _Message(words, folded, now, config, member_names, clean)
    if _SETTING_NOT_BEFORE.search(folded):
        clock, _ = message.time("future", {i for i, w in enumerate(words.folded) if w in ("fore", "innan")})
        return Understanding("reminder_settings", _filled(not_before=clock["start"][11:16] if clock else None))
    if _SETTING_DIGEST.search(folded):
        off = re.search(r"\b(?:av|stang\w*|sluta|inte|ingen|nej|off)\b", folded)
        return Understanding("reminder_settings", {"digest": not off})
    if _CANCEL_REMINDER.search(folded):
        return _cancel_reminder(message)
    if _LIST_REMINDERS.search(folded):
        return Understanding("list_reminders")
    if _OFF_TOPIC.search(folded) and not (is_log_command(folded) or _REMIND.search(folded) or _CREATE.search(folded)
                                          or find_ref(words) or message.focus):
        return Understanding("unknown", {"off_topic": True})
    ref = find_ref(words)
    if _REMIND.search(folded) and not ref:
        return _remind(message)
    if ref and _REMIND.search(folded) and not _SNOOZE.search(folded) and re.search(r"\batt\s+\w+.*#", folded):
        return _remind(message)  # "påminn mig om två veckor att följa upp #6": a reminder that names the action
    if ref and (_SNOOZE.search(folded) or _REMIND.search(folded)):  # "påminn mig om #6 om två dagar"
        until = message.snooze_until(ref[1])
        return Understanding("snooze_action", _filled(ref=ref[0], until=until))
    if not ref and _WHO_OWNS.search(folded):
        return _list_actions(message)
    if not ref and _DEFINITION.match(folded) and _names_only_an_entry(message):
        return _agreement(message)  # "vad är ANDTS?", "vad betyder sspf", "what is operativa brå"
    meeting = _meeting(message, clean) if not ref else None
    if meeting is not None:
        return meeting
    if ref:
        changed = _action_change(message, ref, clean)
        if changed is not None:
            return changed
    if _DONE_QUESTION.search(folded) and not ref and find_status(folded) != "overdue":  # not "… inte gjort i tid"
        done, _ = message.time("past", message.focus_words)
        if done is not None or _ACTIONS.search(folded):
            return Understanding("list_actions", _filled(
                status="done", due=done, **message.owner_slots(),
                focus_area=message.focus.code if message.focus else None))
    if _CREATE.search(folded):
        return _create(message)
    forum = catalog.best(words.folded, catalog.forum_terms(config))
    if forum and _BRIEF.search(folded):
        return Understanding("meeting_brief", {"forum": forum.code})
    if forum and _MEETING.search(folded) or _CALENDAR.search(folded) and not _OWN_CALENDAR.search(folded):
        # "kalendern i december", "vilka möten har vi nästa vecka", "operativa brå i januari": a period lists
        period, _ = message.time("future", _span(forum))
        return Understanding("next_meeting", _filled(
            forum=forum.code if forum else None, period=period,
            calendar=True if _CALENDAR.search(folded) and not period else None))
    if _PROMISES.search(folded):
        return read_show(words)
    if any(pattern.search(folded) for _, pattern in _AGREEMENT_TOPICS):
        return _agreement(message)
    who = _WHO_IS.match(folded)
    if who and who["role"].split()[0] not in _NOT_ROLES and not _DOMAIN_NOUNS.search(who["role"]):
        return Understanding("who_is", {"role": _written_tail(clean, who["role"])})
    if _SITUATION.search(folded):
        return _situation(message)
    if _ACTIONS.search(folded):
        return _list_actions(message)
    if _ASKS_THE_LOG.search(folded) and not _LOG.search(folded):
        return _situation(message)
    if _LOG.search(folded) or message.focus is not None:
        return _log(message)
    return Understanding("unknown", confidence=0.0)
