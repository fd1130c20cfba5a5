"""What a message naming an action (#12) asks to do with it: complete, postpone, comment, cancel, give."""

from __future__ import annotations

import re
from collections.abc import Callable

from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled
from dialogs.nlu.slots import find_ref
from dialogs.nlu.timewords import number
from domain.text import fold

_COMMENT = re.compile(r"\b(?:kommentar\w*|komentar\w*|kommentera\w*|anteckn\w*|notera\w*|notering\w*|notis"
                      r"|comment\w*|note|uppdatering|update)\b")
_CANCEL_ACTION = re.compile(r"\b(?:stall in|stalla in|stalls in|installd|installt|avbryt|avbryts|avbrytes|stryk"
                            r"|makulera\w*|cancel\w*|ta bort|radera|struken|utgar)\b")
_REASSIGN = re.compile(r"\b(?:ge|tilldela|overlat|lamna over|byt ansvarig|ny ansvarig|ansvarig\w*|tar over|ta over"
                       r"|flytta (?:\S+ ){1,3}till|(?:far|tar) (?:#|nr |atgard)|assign\w*|reassign\w*|give)\b")
_SHOW_ACTION = re.compile(r"\b(?:visa|historik\w*|vad hander med|hur gar det med|status for|show|history)\b")
_RELATIVE = re.compile(r"(?<!\bom )\b(?:med )?(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio)\s+"
                       r"(?P<unit>dag|dagar|vecka|veckor|manad|manader|day|days|week|weeks|month|months)\b")


_COMPLETE = re.compile(r"\b(?:klar|klart|klr|avklarad\w*|klarmarkera\w*|fardig\w*|stang\w*|avsluta\w*|genomford\w*"
                       r"|slutford\w*|fixa[dt]?|fixat|(?<!vad )(?:ar|blev) gjor[dt]|bocka av|bock pa|done|complete\w*"
                       r"|finished|close[d]?)\b|[✅✔☑]")
_POSTPONE = re.compile(r"\b(?:skjut\w*|flytta\w*|senarelagg\w*|forlang\w*|postpone\w*|move|ny deadline|deadline"
                       r"|nytt (?:slutdatum|datum))\b")


def _postpone(message: Message, ref: tuple[str, set[int]]) -> Understanding:
    relative = _RELATIVE.search(message.folded)
    due, due_words = message.time("future", ref[1]) if relative is None else (None, None)
    by = None
    if relative is not None:
        count = int(relative["n"]) if relative["n"].isdigit() else number(relative["n"])
        unit = relative["unit"]
        by = {"months": count} if unit.startswith(("man", "month")) else \
            {"days": count * (7 if unit.startswith(("veck", "week")) else 1)}
    reason = _REASON.search(message.words.text(0, len(message.words)))
    reason_text = reason["text"].strip() if reason else _reason_after_time(message, ref[1], due_words, relative)
    return Understanding("postpone_action", filled(ref=ref[0], due=due, by=by, reason=reason_text))


_REASON_AFTER_TIME = re.compile(r"^\s*(?:[,;:–—-]+\s*(?P<text>.+)|(?P<lead>(?:vi |de )?(?:in)?v[aä]ntar\b.+))$",
                                re.IGNORECASE | re.DOTALL)
_RELATIVE_UNIT = re.compile(r"^(?:dag|dagar|vecka|veckor|manad|manader|day|days|week|weeks|month|months)$")


def _reason_after_time(message: Message, ref_words: set[int], due_words: set[int] | None,
                       relative: re.Match | None) -> str | None:
    """'skjut upp #5 två veckor, väntar på fastighetsägarna': what follows the new time after a comma or dash,
    or from "väntar", is why; read from the text as written so a dash is seen."""
    words = message.words
    if not words.spans:
        return None
    last = max(ref_words | (due_words or set()), default=-1)
    if relative is not None:
        last = max([last] + [i for i, word in enumerate(words.folded) if i > last and _RELATIVE_UNIT.match(word)][:1])
    if last < 0:
        return None
    found = _REASON_AFTER_TIME.match(words.source[words.spans[last][1]:])
    text = (found["text"] or found["lead"]).strip(" .") if found else ""
    return text if len(text) >= 3 and fold(text).strip(" !") not in ("tack", "tack sa mycket", "thanks") else None


_COMMENT_LEAD = re.compile(
    r"^[\s\W]*(?:(?:lägg|lagg|skriv|add)(?: in| till| upp)? )?(?:en |a )?(?:kommentar\w*|komentar\w*|kommentera\w*"
    r"|anteckning\w*|notering|notera|uppdatering|update|comment|note)\b(?: (?:på|pa|till|om|för|for|to|on))?"
    r"(?: (?:åtgärd\w*|atgard\w*|punkt|nr|action))?[\s#\d]*(?: med)?\s*[:,–-]?\s*(?:att |that )?",
    re.IGNORECASE)


def _comment_text(clean: str) -> str | None:
    """'kommentar #12: …', 'notera på nr 55 att …', '#35 – kommentar: …': the comment as written."""
    text = _AFTER_REF.sub("", clean, count=1).strip() if _AFTER_REF.match(clean) else clean
    text = re.sub(r"^(?:[–-]\s*)", "", text)
    for _ in range(2):  # "lägg en kommentar på punkt 59: …" has the lead before and after the number
        text = _COMMENT_LEAD.sub("", text, count=1).strip()
        text = _AFTER_REF.sub("", text, count=1).strip() if re.match(r"^(?:#|åtgärd|atgard|nr|punkt)", text,
                                                                     re.IGNORECASE) else text
    text = re.sub(r"^(?:med att |med |att |:\s*)", "", text, flags=re.IGNORECASE).strip()
    return text or None


_REASON = re.compile(r"\b(?:eftersom|pga\.?|på grund av|för att|då|because)\s+(?P<text>.+)$", re.IGNORECASE)
_AFTER_REF = re.compile(r"^.*?(?:#\s?\d{1,6}|(?:åtgärd(?:en)?|atgard(?:en)?|nr|nummer)\s+#?\d{1,6})\s*[:,-]?\s*",
                        re.IGNORECASE)


def _moves_the_date(message: Message, ref_words: set[int]) -> bool:
    """A time right after "till" is where the action moves; "flytta #59 till Olle, jag är ledig i april" gives
    it to Olle, and a time elsewhere only says why."""
    when, span = message.time("future", ref_words)
    if when is None:
        return False
    words = message.words.folded
    targets = [i for i, word in enumerate(words) if word in ("till", "to")]
    return not targets or any(min(span) == i + 1 or min(span) == i + 2 and words[i + 1] in ("den", "v", "vecka")
                              for i in targets)


def read_action_change(message: Message, ref: tuple[str, set[int]], clean: str) -> Understanding | None:
    """What a message naming an action (#12) asks to do with it, in order of how specific the words are."""
    folded = message.folded
    number_text = ref[0]
    if _COMMENT.search(folded):
        return Understanding("comment_action", filled(ref=number_text, text=_comment_text(clean)))
    if _CANCEL_ACTION.search(folded):
        reason = _REASON.search(clean) or re.search(r"#?\d+[^,;:]*[,;:–-]\s*(?P<text>.{3,})$", clean)
        return Understanding("cancel_action", filled(ref=number_text,
                                                      reason=reason["text"].strip(" .") if reason else None))
    if re.search(r"^vem (?:ar|blir) ansvarig|\bvem (?:har|ager)\b", folded):
        return Understanding("show_action", {"ref": number_text})
    found = message.owner_found() if _REASSIGN.search(folded) else None
    if found is not None and _POSTPONE.search(folded) and _moves_the_date(message, ref[1]):
        found = None  # "flytta #8 till fredag" moves the date, not the owner
    owner = found.owner if found else None
    if owner is not None and owner != "me" or owner == "me" and re.search(r"\b(?:till mig|ge mig|jag tar)\b", folded):
        return Understanding("reassign_action", {"ref": number_text, **found.slots()})
    if _POSTPONE.search(folded):
        return _postpone(message, ref)
    if _COMPLETE.search(folded) and re.match(r"(?:vad|hur|vilka|vilket|nar|ar|blev)\b", folded):
        return Understanding("show_action", {"ref": number_text})  # "vad är klart på #4", "är #4 klar?"
    if _COMPLETE.search(folded):
        # "#4 är gjord, vi har haft föräldramötet": what is said after the comma goes with it, as a note
        said = re.search(r"#?\d+[^,;:–]*[,;:–]\s*(?P<text>\S+(?:\s+\S+)+?)[\s.!]*$", clean)
        note = said["text"] if said and not _COMPLETE.fullmatch(fold(said["text"]).strip(" .!")) else None
        return Understanding("complete_action", filled(ref=number_text, text=note))
    if _SHOW_ACTION.search(folded) or len(message.words) <= 2:
        return Understanding("show_action", {"ref": number_text})
    said = _REF_THEN_NEWS.match(clean)
    if said is not None:  # "#6: pratade med fältarna, de är med", "status #18: har mejlat alla rektorer"
        return Understanding("comment_action", {"ref": number_text, "text": said["text"].strip()})
    return None


# An action's number at the start, a colon or a dash, then a few words of news: a note on the action.
_REF_THEN_NEWS = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:#\s?|nr\.?\s*|nummer\s+|punkt\s+|åtgärd\s+#?|atgard\s+#?)\d{1,6}\b[^:–\n]{0,30}?"
    r"\s*(?::|\s[–-])\s*(?P<text>\S+(?:\s+\S+){2,})$", re.IGNORECASE)


def with_ref(intent: str) -> Callable[[Message], Understanding]:
    """An action intent the classifier chose: its number read loosely, the rest as the rules read it."""
    def read(message: Message) -> Understanding:
        ref = find_ref(message.words, loose=True)
        pronoun = next((i for i, word in enumerate(message.words.folded) if word in ("den", "det")), None)
        if ref is None and intent == "postpone_action" and pronoun is not None:
            # "skjut upp den en vecka": the action the previous reply named, if there is one
            read = _postpone(message, ("", {pronoun}))
            return Understanding(intent, {**{k: v for k, v in read.slots.items() if k != "ref"}, "pronoun": True})
        if ref is None:
            return Understanding(intent, message.owner_slots() if intent == "reassign_action" else {})
        if intent == "postpone_action":
            return _postpone(message, ref)
        changed = read_action_change(message, ref, message.clean)
        if changed is not None and changed.intent == intent:
            return changed
        if intent == "reassign_action":
            return Understanding(intent, {"ref": ref[0], **message.owner_slots()})
        if intent == "snooze_action":
            until = message.snooze_until(ref[1])
            return Understanding(intent, filled(ref=ref[0], until=until))
        return Understanding(intent, {"ref": ref[0]})
    return read
