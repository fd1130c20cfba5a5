"""Questions about the collaboration agreement: its focus areas, forums, parties, promises and dates."""

from __future__ import annotations

import re

from dialogs.nlu import catalog
from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled, span_of

PROMISES = re.compile(r"\b(?:medborgarlofte\w*|lofte\w*|lovat|promises?)\b")


AGREEMENT_TOPICS: list[tuple[str, re.Pattern[str]]] = [
    ("renewal", re.compile(r"\b(?:forlang\w*|fornya\w*|ny overenskommelse|renew\w*|(?:nar )?(?:gar|loper) "
                           r"(?:\w+ )?(?:overenskommelsen|avtalet) ut|utgang\w*|hur lange galler|giltighet\w*"
                           r"|galler (?:overenskommelsen|avtalet) (?:efter|till|fortfarande)|expire\w*|loper ut"
                           r"|(?:gar|loper) ut)")),
    ("lagesbild_update", re.compile(r"\b(?:uppdater\w* (?:av )?(?:den )?(?:gemensamma )?lagesbild\w*"
                                    r"|lagesbild\w* (?:ska |skall )?(?:uppdateras|revideras|tas fram)"
                                    r"|(?:overenskommelsen|avtalet) om lagesbild\w*|lagesbild\w* (?:i|enligt) "
                                    r"(?:overenskommelsen|avtalet)"
                                    # how often it is renewed: "hur ofta gör vi en ny lägesbild", "när ska vi
                                    # göra om lägesbilden", "hur gammal får lägesbilden vara"
                                    r"|(?:hur ofta|how often|hur gammal|how old) (?:\w+ ){0,4}lagesbild\w*"
                                    r"|(?:gora|gors|goras|tas) om (?:den )?(?:gemensamma )?lagesbild\w*"
                                    r"|lagesbild\w* (?:\w+ ){0,2}(?:goras|gors|tas) om|lagesbild\w* uppdatering\w*"
                                    r"|lagesbild\w* (?:\w+ ){0,3}(?:varje|vartannat|per) ar)")),
    ("deadlines", re.compile(r"\b(?:deadlines|tidsgranser(?:na)?|tidsfrister(?:na)?|vilka (?:datum|tidpunkter))\b")),
    ("follow_up", re.compile(r"\b(?:uppfoljning\w*|folj\w* (?:\w+ ){0,2}upp|follow[- ]?up|utvarder\w*)\b")),
    ("focus_areas", re.compile(r"\b(?:fokusomraden\w*|fokusomrade\b|prioriter\w*|insatsomrad\w*|focus areas?"
                               r"|fokusera pa)\b")),
    ("forums", re.compile(r"\b(?:vilka forum|forumen|forum\b|samverkansforum\w*|forums|motesforum\w*"
                          r"|motesstruktur\w*|grupper (?:traffas|finns)|hur ar samverkan organiserad)")),
    ("parties", re.compile(r"(?:parter|parterna|parten)\b|\b(?:organisationer star bakom|skrivit under"
                           r"|undertecknade|vem samverkar|vilka samverkar|who are the parties)")),
    ("agreement", re.compile(r"\b(?:samverkansoverenskommelse\w*|overenskommelse\w*|avtal\w*|agreement)\b")),
]


def _forum_code(message: Message) -> str | None:
    forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
    return forum.code if forum else None


_PARTIES = re.compile(r"\b(?:part\w*|vilka (?:ar|sitter) med|vem (?:ar|sitter) med|who (?:is|are) (?:in|part))\b")
_EXPLAIN = re.compile(r"\b(?:vad (?:ar|betyder|gor|innebar|ingar|handlar|star|jobbar|ansvarar|sager|ska vi)"
                      r"|vilka (?:sitter|deltar|ar med|mal|delar)|vem (?:ar|sitter) med|vem deltar|what is|what does"
                      r"|forklara|uppdrag|vad for (?:fokusomrade|forum))\b")


DEFINITION = re.compile(r"^(?:vad (?:ar|betyder|innebar|menas med|star)|vad ar det for|vadan|what (?:is|does|are)"
                         r"|forklara|explain)\b")
_DEFINITION_FILLER = frozenset("vad ar betyder innebar menas med star det for egentligen nagot nat forkortningen "
                               "ordet begreppet what is does are mean explain forklara a an the".split())


def names_only_an_entry(message: Message) -> bool:
    """The question's words beyond asking are one focus area's or one forum's name, nothing else."""
    folded = message.words.folded
    spans = [m for terms in (catalog.focus_area_terms(message.config), catalog.forum_terms(message.config))
             for m in catalog.find(folded, terms)]
    named = set().union(*(span_of(m) for m in spans)) if spans else set()
    rest = [w for i, w in enumerate(folded) if i not in named and w not in _DEFINITION_FILLER and w.isalnum()]
    return bool(named) and not rest


def read_agreement(message: Message) -> Understanding:
    folded = message.folded
    forum = _forum_code(message)
    explain = _EXPLAIN.search(folded) or re.search(r"\b(?:vad|vilka|vem)\b.*\?$|^\w+ ?[–-] ", folded)
    how_often = re.search(r"\bhur (?:ofta|manga ganger)\b", folded)
    if forum and (explain or how_often):
        return Understanding("agreement_info", filled(topic="forum", forum=forum, how_often=bool(how_often) or None))
    if message.focus is not None and (explain or "fokusomrade" in folded):
        return Understanding("agreement_info", {"topic": "focus_area", "focus_area": message.focus.code})
    for topic, pattern in AGREEMENT_TOPICS:
        if pattern.search(folded) and topic != "agreement":
            return Understanding("agreement_info", {"topic": topic})
    if _PARTIES.search(folded):
        return Understanding("agreement_info", {"topic": "parties"})
    # A question about the agreement that names one forum or one focus area is about that one: "vem leder
    # sspf", "vad säger överenskommelsen om skadegörelse i skolmiljö"; two forums named are the forums.
    forums = {match.code for match in catalog.find(message.words.folded, catalog.forum_terms(message.config))}
    if len(forums) > 1:
        return Understanding("agreement_info", {"topic": "forums"})
    if forum:
        return Understanding("agreement_info", {"topic": "forum", "forum": forum})
    if message.focus is not None:
        return Understanding("agreement_info", {"topic": "focus_area", "focus_area": message.focus.code})
    return Understanding("agreement_info", {"topic": "agreement"})
