"""Greetings, help, thanks and questions about the bot: said to the bot, not about the work."""

from __future__ import annotations

import re

from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import Message, filled

HELP = re.compile(
    r"^(?:hjalp|help|\?+|meny|kommandon|commands|hej|hejsan|halla|tja|tjena|tjenare|tjenixen|morrn|morsning|yo"
    r"|god ?(?:morgon|dag|kvall)|good (?:morning|afternoon|evening)|hello(?: there)?|hi|hey|hej hej"
    r"|vad kan du(?: gora| hjalpa (?:mig )?med| svara pa)?|hur funkar (?:du|det|det har|boten)|what can you do"
    r"|how does (?:this|it) work|hur kommer jag igang|manual|guide|instruktion\w*|/help"
    r"|(?:hur|hur ska) (?:anvander|anvanda|funkar|fungerar|jobbar) (?:jag|man|vi)(?: med)? (?:dig|boten|den har boten)"
    r"|how do i use (?:you|this|the bot)|visa vad du kan"
    r"|(?:hej,? )?jag ar ny(?: har| anvandare| i gruppen)?|i'?m new(?: here)?"
    r"|finns det (?:en |nagon |nan )?(?:manual|guide|lathund|instruktion\w*))(?: (?:bot|boten|du|pa dig))?"
    r"\W*$"
)
# Who the bot is and what becomes of what is written: answered from the help, whatever the classifier thinks.
HELP_QUESTION = re.compile(
    r"^(?:vad heter du|vem ar du|vad ar du(?: for (?:(?:nagot|nagon|en) )?(?:bot|sort|typ|nagot))?"
    r"|ar du en (?:bot|robot|manniska|ai|chatbot)"
    r"|ar du (?:chatgpt|ai|riktig|manniska)|vem har (?:gjort|byggt|skapat) (?:dig|boten)|vem (?:ager|ansvarar for"
    r"|forvaltar|driver) (?:boten|den har boten|dig)|vad ar samverkansboten|om dig|om boten|tell me about yourself"
    r"|who (?:made|built|are) you|are you (?:a )?(?:real person|human|bot|robot|ai)|integritet|gdpr|dataskydd"
    r"|vem kan (?:lasa|se) (?:det|vad) jag (?:skriver|loggar)(?: har)?|is my data stored|sparas (?:det|allt) (?:jag"
    r" skriver|har)|far (?:jag|man) skriva (?:namn|om minderariga|personnummer)\w*"
    r"|vad (?:sparar|lagrar) (?:du|boten) om (?:mig|oss)|what do you store about me)\W*$")
# Whether something may be written in the log: "kan jag skriva namnet på killen?", "eleven har adhd, ska jag skriva
# det?", "får man logga personnummer". A question to the privacy rules, whatever it mentions.
_MAY_I_WRITE = re.compile(r"\b(?:far|kan|ska|bor|maste|skall) (?:jag|vi|man|ni) (?:\w+ )?(?:skriva|logga|ta med"
                          r"|namna|ange|fora in|registrera|notera|skriva in|skriva ut) (?:in |ut |med )?(?:det|detta"
                          r"|sant|sadant|namn\w*|personnummer\w*|diagnos\w*|adress\w*|vem|vilka|hans|hennes|deras)\b")


def asks_what_may_be_written(folded: str) -> bool:
    return bool(_MAY_I_WRITE.search(folded))


MORE = re.compile(r"^(?:mer|fler|visa (?:mer|fler|resten)|nasta(?: sida)?|sida \d+|fortsatt|resten|more|show more"
                   r"|more please|next(?: page)?)(?: tack| please)?\W*$")


GOODBYE = re.compile(r"^(?:tack (?:och|o) )?(?:hej ?da|hejsan svejsan|ha det (?:bra|gott)"
                      r"|ha en (?:bra|trevlig|skon) \w+|trevlig (?:helg|kvall|dag)|vi hors|bye|goodbye|see you"
                      r"|have a (?:nice|good|great) \w+)\b|^(?:hors|ses(?: \w+)?)\W*$")
# Thanks and praise said on their own: "tack!", "tusen tack", "ty", "cheers", "bra jobbat bot".
THANKS = re.compile(r"^(?:(?:tack|tackar|tusen tack|stort tack|tack sa (?:mycket|jattemycket)|tack for hjalpen"
                     r"|tack ska du ha|tack snalla|thanks?(?: a lot| so much)?|thank you(?: so much)?|thx|tnx|ty"
                     r"|tack tack"
                     r"|cheers|bra jobbat|snyggt|schysst|schyst|toppen|perfekt|grymt(?: jobbat)?|klockrent|finemang"
                     r"|kanon|super|du ar bast|many thanks|good job|great|nice|awesome)"
                     r"(?: (?:bot|boten|du|sa mycket|igen|again))?[\s!.:)(]*)+$")
# "ok", "uppfattat", "jaha": a nod, not a question (a confirmation the bot waits for reads these as yes first).
ACK = re.compile(r"^(?:ok|okej|okey|oki|okay|ok ok|aha|jaha|ah|uppfattat|noterat|fattar|forstar|got it|roger"
                  r"|alright|allright|fine|fint|bra|ok bra|ok tack|okej tack)[\s!.:)(👍]*$")
# A question about the routine itself, not about a child: "vad är en orosanmälan och när måste jag göra en?"
ABOUT_REPORTING = re.compile(r"^(?:vad|nar|hur|vem|var|maste|ska|vilka|galler)\b.*\b(?:orosanmal\w*|anmalningsplikt\w*"
                              r"|anmala oro)\b")


_HELP_TOPICS: list[tuple[str, re.Pattern[str]]] = [
    ("concern", re.compile(r"\b(?:orosanmal\w*|anmalningsplikt\w*|anmala oro)")),
    ("privacy", re.compile(r"\b(?:integritet\w*|gdpr|personuppgift\w*|sekretess\w*|far (?:jag |man )?(?:inte )?skriva"
                           r"|vad far jag skriva|dataskydd\w*|privacy|sparas (?:det|allt|loggarna)|skriva namn"
                           r"|personnummer|vem kan (?:lasa|se)|data stored|hur lange sparas"
                           r"|(?:sparar|lagrar) (?:du|boten) om|store about me)")),
    ("about", re.compile(r"\b(?:om boten|om dig|vem ar du|vad ar du|for (?:en )?bot"
                         r"|vad heter du|ar du (?:en )?(?:bot|robot|manniska|ai"
                         r"|chatgpt)|about|star bakom boten|vem har (?:gjort|byggt|skapat) (?:boten|dig)|yourself"
                         r"|who (?:made|built) you|are you|vem (?:ager|ansvarar for|forvaltar|driver) (?:boten|den har"
                         r" boten|dig)|samverkansboten)\b")),
    ("logging", re.compile(r"\b(?:logg\w*|rapporter\w*|observation\w*)")),
    ("situation", re.compile(r"\b(?:lagesbild\w*|laget)\b")),
    ("actions", re.compile(r"\b(?:atgard\w*)")),
    ("meetings", re.compile(r"\b(?:mote\w*|kalender\w*)")),
    ("reminders", re.compile(r"\b(?:paminn\w*|paminnelse\w*)")),
    ("agreement", re.compile(r"\b(?:overenskommelse\w*|avtal\w*)")),
]


def read_help(message: Message) -> Understanding:
    topic = next((name for name, pattern in _HELP_TOPICS if pattern.search(message.folded)), None)
    return Understanding("help", filled(topic=topic))
