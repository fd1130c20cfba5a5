"""The rules in the order they are tried: the first that matches reads the message (``rule_reading``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.promises import promise_reading, read_show
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.action_changes import read_action_change
from dialogs.nlu.rules.actions import ACTIONS, CREATE, DONE_QUESTION, WHO_OWNS, read_create_action, read_list_actions
from dialogs.nlu.rules.agreement import AGREEMENT_TOPICS, DEFINITION, PROMISES, names_only_an_entry, read_agreement
from dialogs.nlu.rules.conversation import (
    ABOUT_REPORTING,
    ACK,
    GOODBYE,
    HELP,
    HELP_QUESTION,
    MORE,
    THANKS,
    asks_what_may_be_written,
    read_help,
)
from dialogs.nlu.rules.meetings import BRIEF, CALENDAR, DETAIL, MEETING, OWN_CALENDAR, read_detail, read_meeting
from dialogs.nlu.rules.members import (
    ADD_MEMBER,
    DOMAIN_NOUNS,
    NOT_ROLES,
    WHO_IS,
    WHOAMI,
    read_add_member,
    read_managed_member,
)
from dialogs.nlu.rules.message import Message, filled, span_of, written_tail
from dialogs.nlu.rules.observations import LOG, OBSERVATION_REF, UNDO, is_log_command, read_log, read_observation_ref
from dialogs.nlu.rules.reminders import (
    CANCEL_REMINDER,
    LIST_REMINDERS,
    REMIND,
    SETTING_DIGEST,
    SETTING_NOT_BEFORE,
    SNOOZE,
    read_cancel_reminder,
    read_remind,
)
from dialogs.nlu.rules.situation import ASKS_THE_LOG, OFF_TOPIC, SITUATION, read_situation
from dialogs.nlu.slots import Words, find_ref, find_status
from domain.text import fold


def rule_reading(clean: str, now: datetime, config: Any, member_names: tuple[str, ...] = ()) -> Understanding:
    """What the rules read in one message (whitespace already collapsed), at ``now`` (local, naive)."""
    folded = fold(clean)
    words = Words.of(clean)

    if HELP.match(folded):
        return Understanding("help")
    if DETAIL.search(folded):
        return read_detail(folded)
    if HELP_QUESTION.match(folded):
        return read_help(Message(words, folded, now, config, member_names, clean))
    if asks_what_may_be_written(folded):
        return Understanding("help", {"topic": "privacy"})
    if GOODBYE.match(folded):
        return Understanding("thanks", {"goodbye": True})
    if THANKS.match(folded):
        return Understanding("thanks")
    if ACK.match(folded):
        return Understanding("thanks", {"ack": True})
    if ABOUT_REPORTING.search(folded):
        return Understanding("help", {"topic": "concern"})
    if WHOAMI.match(folded):
        return Understanding("whoami")
    if ADD_MEMBER.search(folded):
        return read_add_member(clean, folded)
    if managed := read_managed_member(clean, folded):
        return managed
    if MORE.match(folded):
        return Understanding("more")
    if UNDO.match(folded):
        return Understanding("undo_observation")
    observation = OBSERVATION_REF.search(folded)
    if observation:
        return read_observation_ref(clean, folded, observation, config, now)
    promise = promise_reading(words, folded, clean)
    if promise is not None:
        return promise
    message = Message(words, folded, now, config, member_names, clean)
    if SETTING_NOT_BEFORE.search(folded):
        clock, _ = message.time("future", {i for i, w in enumerate(words.folded) if w in ("fore", "innan")})
        return Understanding("reminder_settings", filled(not_before=clock["start"][11:16] if clock else None))
    if SETTING_DIGEST.search(folded):
        off = re.search(r"\b(?:av|stang\w*|sluta|inte|ingen|nej|off)\b", folded)
        return Understanding("reminder_settings", {"digest": not off})
    if CANCEL_REMINDER.search(folded):
        return read_cancel_reminder(message)
    if LIST_REMINDERS.search(folded):
        return Understanding("list_reminders")
    if OFF_TOPIC.search(folded) and not (is_log_command(folded) or REMIND.search(folded) or CREATE.search(folded)
                                          or find_ref(words) or message.focus):
        return Understanding("unknown", {"off_topic": True})
    ref = find_ref(words)
    if REMIND.search(folded) and not ref:
        return read_remind(message)
    if ref and REMIND.search(folded) and not SNOOZE.search(folded) and re.search(r"\batt\s+\w+.*#", folded):
        return read_remind(message)  # "påminn mig om två veckor att följa upp #6": a reminder that names the action
    if ref and (SNOOZE.search(folded) or REMIND.search(folded)):  # "påminn mig om #6 om två dagar"
        until = message.snooze_until(ref[1])
        return Understanding("snooze_action", filled(ref=ref[0], until=until))
    if not ref and WHO_OWNS.search(folded):
        return read_list_actions(message)
    if not ref and DEFINITION.match(folded) and names_only_an_entry(message):
        return read_agreement(message)  # "vad är ANDTS?", "vad betyder sspf", "what is operativa brå"
    meeting = read_meeting(message, clean) if not ref else None
    if meeting is not None:
        return meeting
    if ref:
        changed = read_action_change(message, ref, clean)
        if changed is not None:
            return changed
    if DONE_QUESTION.search(folded) and not ref and find_status(folded) != "overdue":  # not "… inte gjort i tid"
        done, _ = message.time("past", message.focus_words)
        if done is not None or ACTIONS.search(folded):
            return Understanding("list_actions", filled(
                status="done", due=done, **message.owner_slots(),
                focus_area=message.focus.code if message.focus else None))
    if CREATE.search(folded):
        return read_create_action(message)
    forum = catalog.best(words.folded, catalog.forum_terms(config))
    if forum and BRIEF.search(folded):
        return Understanding("meeting_brief", {"forum": forum.code})
    if forum and MEETING.search(folded) or CALENDAR.search(folded) and not OWN_CALENDAR.search(folded):
        # "kalendern i december", "vilka möten har vi nästa vecka", "operativa brå i januari": a period lists
        period, _ = message.time("future", span_of(forum))
        return Understanding("next_meeting", filled(
            forum=forum.code if forum else None, period=period,
            calendar=True if CALENDAR.search(folded) and not period else None))
    if PROMISES.search(folded):
        return read_show(words)
    if any(pattern.search(folded) for _, pattern in AGREEMENT_TOPICS):
        return read_agreement(message)
    who = WHO_IS.match(folded)
    if who and who["role"].split()[0] not in NOT_ROLES and not DOMAIN_NOUNS.search(who["role"]):
        return Understanding("who_is", {"role": written_tail(clean, who["role"])})
    if SITUATION.search(folded):
        return read_situation(message)
    if ACTIONS.search(folded):
        return read_list_actions(message)
    if ASKS_THE_LOG.search(folded) and not LOG.search(folded):
        return read_situation(message)
    if LOG.search(folded) or message.focus is not None:
        return read_log(message)
    return Understanding("unknown", confidence=0.0)
