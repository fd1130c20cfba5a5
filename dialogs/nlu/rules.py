"""The exact readings: ordered rules on folded text, and each intent's slot readers.

Rules are exact where the words are (``#12``, ``#O3``, commands, settings), and they read every intent's
slots. For everything else their reading is one cue among others for the trained classifier
(``dialogs.nlu.intents``), which decides the intent; the slots are then read here for that intent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from dialogs.nlu import catalog
from dialogs.nlu.owners import Owner, find_owner
from dialogs.nlu.places import find_place
from dialogs.nlu.promises import promise_reading, read_create, read_link, read_show
from dialogs.nlu.reading import Understanding
from dialogs.nlu.slots import (
    Words,
    capitalised_words,
    find_kind,
    find_ref,
    find_status,
    find_time,
    observation_kind,
)
from dialogs.nlu.time import read_time
from dialogs.nlu.timewords import number
from domain.text import fold


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_HELP = re.compile(
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
_HELP_QUESTION = re.compile(
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


# "#O12", "O12", "#O 12", "observation 12", "obs 12", "loggningen 12"; any length, so that a number too large
# to exist is answered as one, not read as a place "O"
_OBSERVATION_REF = re.compile(r"(?:^|\s)#\s?o\s?(\d+)\b|(?:^|\s)o(\d+)\b"
                              r"|\b(?:observation(?:en)?|obs|loggning(?:en)?)\s+(?:nr\s+|nummer\s+)?#?o?(\d+)\b")
_OBSERVATION_REF_WRITTEN = re.compile(r"#\s?o\s?\d+\b|(?<!\w)o\d+\b"
                                      r"|(?:observation|obs|loggning)\w*\s+(?:nr\s+|nummer\s+)?#?o?\d+\b",
                                      re.IGNORECASE)
_UNDO = re.compile(r"^(?:angra|undo)(?: (?:det|den|senaste|sista|loggningen|observationen|det senaste|det sista"
                   r"|det jag (?:just )?(?:loggade|skrev)))?\W*$")
_RESTORE = re.compile(r"\b(?:aterstall\w*|aterskapa\w*|ta tillbaka|restore|undelete)\b")
_DELETE = re.compile(r"\b(?:ta bort|tabort|tas bort|radera\w*|stryk|kasta|slang|ska bort|delete|remove)\b")
_CORRECT = re.compile(r"\b(?:andra|ratta|korrigera|uppdatera|redigera|byt|fel|ska vara|ska ha|skulle vara|inte|change"
                      r"|correct|fix|edit)\b|#?o ?\d+\s*[:-]\s*\w+\s*:|\b(?:plats|tid|datum|fokus\w*|typ|kategori)\s*:")
# Asking about an entry is looking at it: "öppna observation 15", "vad hände i #O18", "vem loggade #O33?".
_ONLY_REQUEST = re.compile(r"(?:(?:kan|kunde|vill|du|jag|vi|snalla|please|andra|ratta|korrigera|redigera"
                           r"|uppdatera|byt|change|edit|fix|observation\w*|loggning\w*|posten|nummer|pa|i)\b\W*)+")
_SHOW_OBSERVATION = re.compile(r"\b(?:visa|show|open|oppna|se|titta|kolla|las|detalj\w*|info\w*|mer om|vad|vem|nar"
                               r"|hur|vilken|vilket|historik\w*|versioner|what|who|when)\b|\?\s*$")
_MORE = re.compile(r"^(?:mer|fler|visa (?:mer|fler|resten)|nasta(?: sida)?|sida \d+|fortsatt|resten|more|show more"
                   r"|more please|next(?: page)?)(?: tack| please)?\W*$")
_COMMENT = re.compile(r"\b(?:kommentar\w*|komentar\w*|kommentera\w*|anteckn\w*|notera\w*|notering\w*|notis"
                      r"|comment\w*|note|uppdatering|update)\b")
_CANCEL_ACTION = re.compile(r"\b(?:stall in|stalla in|stalls in|installd|installt|avbryt|avbryts|avbrytes|stryk"
                            r"|makulera\w*|cancel\w*|ta bort|radera|struken|utgar)\b")
_REASSIGN = re.compile(r"\b(?:ge|tilldela|overlat|lamna over|byt ansvarig|ny ansvarig|ansvarig\w*|tar over|ta over"
                       r"|flytta (?:\S+ ){1,3}till|(?:far|tar) (?:#|nr |atgard)|assign\w*|reassign\w*|give)\b")
_SHOW_ACTION = re.compile(r"\b(?:visa|historik\w*|vad hander med|hur gar det med|status for|show|history)\b")
_RELATIVE = re.compile(r"(?<!\bom )\b(?:med )?(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio)\s+"
                       r"(?P<unit>dag|dagar|vecka|veckor|manad|manader|day|days|week|weeks|month|months)\b")
_DONE_QUESTION = re.compile(r"\b(?:blev klar\w*|blev (?:gjort|fardig\w*)|blivit (?:klar\w*|gjort)|gjort klart"
                            r"|gjorde klart|klarat|avslutat\w*|avslutades|slutfor\w*|genomfor(?:t|da|des)"
                            r"|har \w+ (?:\w+ )?gjort"
                            r"|gjorde (?:vi|polisen|kommunen|jag)|fick (?:\w+ )?klart|bockat av|what got done"
                            r"|completed|finished|what did we)\b")
_CREATE_FOR_ME = re.compile(r"(?:^|,)\s*(?:jag|mig|mig sjalv|me)\s*(?:,|$)|ansvarig\w*:?\s+(?:ar\s+)?(?:jag|mig)\b"
                            r"|\bjag (?:ansvarar|tar den|tar det|fixar|gor det|kan ta)\b|\b(?:at|for|till) mig\b"
                            r"|\bi(?:'| wi)ll take it\b|\bassign(?:ed)? to me\b")
_SETTING_NOT_BEFORE = re.compile(r"\b(?:inga|inte|ingen) (?:paminnelse\w*|notis\w*|meddelande\w*) (?:fore|innan)\b"
                                 r"|\bpaminnelse\w* (?:tidigast|forst|efter)\b|\bpaminn\w* (?:mig )?(?:aldrig|inte) "
                                 r"(?:fore|innan)\b|\bno reminders before\b")
_SETTING_DIGEST = re.compile(r"\bveckosammanfattning\w*|\bveckobrev\w*|\bweekly digest\b"
                             r"|\bsammanfattning (?:varje|en gang i|per) vecka\b|\bveckovis sammanfattning\b")
_SNOOZE = re.compile(r"\b(?:snooz\w*|slumra\w*|tysta\w*|vila)\b")
_BIND = re.compile(r"\bkoppla (?:den har |denna |det har |detta )?(?:kanal\w* |rum\w* |chatt\w* |grupp\w* )?till\b"
                   r"|\b(?:detta|det har) (?:rum|kanal)\w* (?:ar|=|for)\b|\bbind\w* (?:this|den har|detta)\b")
_UNBIND = re.compile(r"\bkoppla (?:bort|loss|ifran)\b|\bavkoppla\w*|\bavregistrera\w*|\bsluta (?:posta|skicka|med)\b"
                     r"|\bta bort bindning\w*\b|\bskicka inte (?:hit )?(?:fler|mer)\b|\bstop posting\b"
                     r"|\bsla av (?:\w+ )?(?:dagordning|agend|underlag)\w*"
                     r"|\binga fler \S+ (?:\w+ ){0,3}(?:har|i (?:den har|denna) (?:kanal|rum))\w*\b|\bunbind\b")
_CANCEL_MEETING = re.compile(r"\b(?:stall in|stalla in|installt|installd|inget|ingen|ta bort|stryk|avboka|cancel)"
                             r" (?:\w+ ){0,3}?(?:mote\w*|\w*bra|sspf\w*|styrgrupp\w*)\b"
                             r"|\b(?:mote\w*|\w*bra|sspf\w*) (?:\w+ ){0,2}?(?:installt|installd|stalls in|utgar"
                             r"|blir inte av)\b")
_RECURRENCE = re.compile(r"\b(?:varannan|varje|var (?:tredje|fjarde)|(?:forsta|andra|tredje|fjarde|sista) "
                         r"(?:mandag|tisdag|onsdag|torsdag|fredag)\w*)\b")
_IS = re.compile(r"\b(?:ar|blir|halls|traffas|moter|motes)\b")
_GOODBYE = re.compile(r"^(?:tack (?:och|o) )?(?:hej ?da|hejsan svejsan|ha det (?:bra|gott)"
                      r"|ha en (?:bra|trevlig|skon) \w+|trevlig (?:helg|kvall|dag)|vi hors|bye|goodbye|see you"
                      r"|have a (?:nice|good|great) \w+)\b|^(?:hors|ses(?: \w+)?)\W*$")
# Thanks and praise said on their own: "tack!", "tusen tack", "ty", "cheers", "bra jobbat bot".
_THANKS = re.compile(r"^(?:(?:tack|tackar|tusen tack|stort tack|tack sa (?:mycket|jattemycket)|tack for hjalpen"
                     r"|tack ska du ha|tack snalla|thanks?(?: a lot| so much)?|thank you(?: so much)?|thx|tnx|ty"
                     r"|tack tack"
                     r"|cheers|bra jobbat|snyggt|schysst|schyst|toppen|perfekt|grymt(?: jobbat)?|klockrent|finemang"
                     r"|kanon|super|du ar bast|many thanks|good job|great|nice|awesome)"
                     r"(?: (?:bot|boten|du|sa mycket|igen|again))?[\s!.:)(]*)+$")
# "ok", "uppfattat", "jaha": a nod, not a question (a confirmation the bot waits for reads these as yes first).
_ACK = re.compile(r"^(?:ok|okej|okey|oki|okay|ok ok|aha|jaha|ah|uppfattat|noterat|fattar|forstar|got it|roger"
                  r"|alright|allright|fine|fint|bra|ok bra|ok tack|okej tack)[\s!.:)(👍]*$")
# A question about the routine itself, not about a child: "vad är en orosanmälan och när måste jag göra en?"
_ABOUT_REPORTING = re.compile(r"^(?:vad|nar|hur|vem|var|maste|ska|vilka|galler)\b.*\b(?:orosanmal\w*|anmalningsplikt\w*"
                              r"|anmala oro)\b")
_WHOAMI = re.compile(r"^(?:vem ar jag|who am i|min roll|vilken roll har jag|vad har jag for roll|kanner du mig)\W*$")
# "vem är kommunpolis i Älmhult", "vem är vår samordnare?": the members with a role.
_WHO_IS = re.compile(r"^(?:vem|who) (?:ar|e|is|are) (?:var |vara |er |era |kommunens |polisens |the )?"
                     r"(?P<role>[a-z][a-z -]{2,40}?)(?: (?:i|pa|hos|for|in) [a-z]+)?\W*$")
_NOT_ROLES = frozenset({"jag", "du", "ni", "vi", "ansvarig", "ansvariga", "med", "det", "den", "detta", "parterna",
                        "part", "parter", "boten", "i", "pa", "nasta", "sspf", "bra",
                        "strategiska", "operativa", "styrgruppen", "you", "responsible"})


# What the collaboration holds is not a role: "vilka är fokusområdena", "vilka är medborgarlöftena".
_DOMAIN_NOUNS = re.compile(r"\b(?:fokus\w*|omrade\w*|forum\w*|lofte\w*|medborgarlofte\w*|atgard\w*|mote\w*"
                           r"|part\w*|overenskommelse\w*|avtal\w*|malen|mal|regler\w*|tider\w*|datum\w*"
                           r"|forsenad\w*|klar\w*|oppna|mina|dina|nya|senaste|nasta|sist\w*)\b")


def _written_tail(clean: str, folded_part: str) -> str:
    """The words of ``folded_part`` as the user wrote them (case and å/ä/ö kept)."""
    words = clean.strip(" ?!.").split()
    count = len(folded_part.split())
    start = next((i for i in range(len(words)) if fold(" ".join(words[i:i + count])) == folded_part), None)
    return " ".join(words[start:start + count]) if start is not None else folded_part


_ADD_MEMBER = re.compile(r"^(?:lagg till|add)\b.*\b(?:som )?(?:medlem\w*|member)\b")
# An admin managing members by name: "gör Olle Polis till administratör", "ta bort Olle Polis som medlem".
_ADMIN_WORD = r"(?:admin|administrator)\w*"
_MAKE_ADMIN = re.compile(rf"^(?:gor|utse|make) (?P<name>.+?) (?:till|som|to|an) (?:en |ny )?{_ADMIN_WORD}\W*$"
                         rf"|^ge (?P<given>.+?) {_ADMIN_WORD}\W*$")
_UNMAKE_ADMIN = re.compile(rf"^(?:ta bort|remove) (?P<name>.+?) (?:som|as) (?:an )?{_ADMIN_WORD}\W*$"
                           rf"|^(?P<named>.+?) ska inte (?:langre )?vara {_ADMIN_WORD}\W*$"
                           rf"|^ta bort {_ADMIN_WORD} (?:fran|for) (?P<from>.+?)\W*$")
_REMOVE_MEMBER = re.compile(r"^(?:ta bort|radera|remove) (?P<name>.+?) (?:som medlem|ur boten|fran boten"
                            r"|as (?:a )?member)\W*$")
_LIST_MEMBERS = re.compile(r"^(?:(?:vilka|vem) (?:ar|finns) (?:medlemmar(?:na)?|med)(?: i boten)?"
                           r"|vilka medlemmar (?:finns(?: det)?|har vi|har boten)(?: i boten)?"
                           r"|(?:visa |lista )?(?:alla )?medlemmar(?:na)?|(?:visa )?medlemslista\w*"
                           r"|(?:list |show )?(?:all )?members)\W*$")
_REMIND = re.compile(r"^(?:paminn|pamin|remind)\b|\bpaminnelse\b|\bpaminn\w* m(?:ig|ej)\b|\bremind me\b")
_CANCEL_REMINDER = re.compile(r"\b(?:ta bort|radera|stryk|avboka|ateranropa|delete|remove|cancel|glom)\b.*"
                              r"\b(?:paminn\w*|reminder\w*)|\b(?:behover|vill) inte (?:bli )?(?:paminn\w*|pamind)\b"
                              r"|\bpaminnelse\w* (?:om \S+ )?(?:ar|kan) (?:inte aktuell|struken|tas bort)")
_LIST_REMINDERS = re.compile(r"^(?:visa |lista |vilka |se )?(?:mina|alla mina|my|mina aktiva|kommande) "
                             r"(?:paminnelse\w*|reminders?)\W*$|\bvilka paminnelse\w* har jag\b")
_COMPLETE = re.compile(r"\b(?:klar|klart|klr|avklarad\w*|klarmarkera\w*|fardig\w*|stang\w*|avsluta\w*|genomford\w*"
                       r"|slutford\w*|fixa[dt]?|fixat|(?<!vad )(?:ar|blev) gjor[dt]|bocka av|bock pa|done|complete\w*"
                       r"|finished|close[d]?)\b|[✅✔☑]")
_POSTPONE = re.compile(r"\b(?:skjut\w*|flytta\w*|senarelagg\w*|forlang\w*|postpone\w*|move|ny deadline|deadline"
                       r"|nytt (?:slutdatum|datum))\b")
_CREATE = re.compile(r"\b(?:ny|nytt|skapa|lagg till|lagg upp|registrera|new|create|add)\s+(?:en\s+)?"
                     r"(?:atgard\w*|atg|action|task|uppgift|punkt i (?:handlings|atgards)?planen)\b|\bnyatgard\w*"
                     r"|^(?:lagg till|lagg in|add)\s*:|^(?:lagg till|lagg in) att\b")
_BRIEF = re.compile(r"\b(?:\w*underlag\w*|dagordning\w*|agenda|sammanfattning|summary|brief\w*|forbered\w*|infor"
                    r"|pre-meeting)\b")
_MEETING = re.compile(r"\b(?:nar|nasta|traffas|mote\w*|when|next|moten)\b|\?$")
_CALENDAR = re.compile(r"\b(?:kalender\w*|motesplan\w*|motena|calendar|schedule)\b|^(?:vilka )?moten\b"
                       r"|\bvilka moten\b")
_OWN_CALENDAR = re.compile(r"\b(?:min|mitt|outlook|google|synka\w*|prenumerera\w*|exportera\w*|lagg in|my)\b")
_PROMISES = re.compile(r"\b(?:medborgarlofte\w*|lofte\w*|lovat|promises?)\b")
_SITUATION = re.compile(r"\b(?:lagesbild\w*|laget|lage|hur ser (?:det|laget) ut|vad (?:har )?hant|vad hande"
                        r"|situation\w*|overview|what happened)\b")
_ACTIONS = re.compile(r"\b(?:atgard\w*|forsenat|forsenade|forfaller|ska vara klart|deadline\w*|actions?|tasks?"
                      r"|vad ar forsenat)\b")
_LOG = re.compile(r"^(?:jag vill )?(?:logga|rapportera|registrera|anmal|notera|log|report)\b"
                  r"|\bny (?:observation|iakttagelse|handelse|incident)\b"
                  r"|^(?:observation|iakttagelse|handelse)\b|\blogga\b")
# A question to the log rather than an entry for it: "hur många klotterfall på Haganässkolan v 46", "har vi fått
# in något om hot mot personal", "något loggat från Folkets park i natt?".
_ASKS_THE_LOG = re.compile(r"^(?:hur (?:manga|mycket|vanligt|ofta|utbrett)|har (?:vi|ni|det|nagon) (?:fatt|kommit"
                           r"|varit|hant|loggats|rapporterats|sett|noterat)|vad har (?:loggats|rapporterats|hant"
                           r"|kommit in|ni sett|vi sett|ni fatt|vi fatt)|finns det (?:nagot|nagra|fler|manga)"
                           r"|(?:nagot|nat|nagonting) (?:nytt|loggat|rapporterat|om|fran|pa|vid|i)"
                           r"|nagra (?:nya|loggade)"
                           r"|any(?:thing)?|how many|is there|are there|what has)\b|\?\s*$"
                           r"|^(?:antal|sammanfattning|sammanstallning|summering|oversikt|overview|summary)\b(?![^:]*:)"
                           r"|^vilk(?:a|en|et)\b.{0,40}?\b(?:har|ar|sker|hander|finns)\b.*"
                           r"\b(?:mest|flest|minst|oftast|varst|vanligast|storst|hogst)\b")
# A message that starts by saying it is for the log is a log entry, whatever else it says (safety aside).
_LOG_COMMAND = re.compile(r"^(?:kan du |jag vill |vill )?(?:logga|rapportera|notera|log)\b(?! ut\b| in\b)"
                          r"|^(?:ny|en ny) (?:observation|iakttagelse|handelse|incident)\b"
                          r"|^(?:observation|iakttagelse|handelse|for loggen)\b")


def is_log_command(folded: str) -> bool:
    return bool(_LOG_COMMAND.match(folded))


# A question that does not ask to log ("när går bussen till Växjö", "har polisen öppet på lördagar?") is not
# an entry for the log, however much it sounds like one.
# Swedish asks yes/no with the verb first: "är det julmarknad på torget", "snöar det i Pjätteryd", "har ni öppet".
_QUESTION = re.compile(r"^(?:vad|vem|vems|var|vart|nar|hur|varfor|vilken|vilka|vilket|finns|what|who|when|where"
                       r"|how|why|which|is|are|does|do)\b|\?\s*$"
                       r"|^(?:ar|finns|kommer|blir|har|kan|ska|far|gar|regnar|snoar|brukar|behover|maste|vet|galler"
                       r"|hinner|oppnar|stanger|\w+as) (?:det|du|ni|man|nagon|nan|vi|jag|dom|de)\b")
_ASKS_TO_LOG = re.compile(r"\b(?:logga\w*|loga|log|rapportera\w*|registrera\w*|notera\w*|anteckna\w*|loggen"
                          r"|for in|fora in|lagga in|lagg in|skriva in|skriv in|dokumentera\w*)\b")


def is_question_not_for_the_log(folded: str) -> bool:
    return bool(_QUESTION.search(folded)) and not _ASKS_TO_LOG.search(folded)


def is_remind_command(folded: str) -> bool:
    """'påminn mig …', 'påmin mej …': a request that starts by asking for a reminder is one."""
    return bool(re.match(r"(?:kan du |snalla |please )?(?:paminn?|remind) (?:mig|mej|me)\b", folded))


# What asking to log says without saying what happened: "logga", "jag vill logga en händelse", "ny observation".
_ONLY_ASKING = frozenset("""
    logga loga log rapportera registrera notera anmal lagg in till i loggen for att ny nytt en ett jag vi vill
    kan du skulle ha gora observation observationen iakttagelse handelse incident obs nagot nat har tack hej
    please new report note an a the
""".split())


def says_what_happened(words: list[str]) -> bool:
    """Whether a log message has content of its own; a bare request starts the guided questions instead."""
    return any(word not in _ONLY_ASKING and word.isalnum() for word in words)


_AGREEMENT_TOPICS: list[tuple[str, re.Pattern[str]]] = [
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


# Everyday questions a colleague might type into the wrong chat: opening hours, buses, weather, the phone
# switchboard, the lunch menu, office IT. Not the log's business even when they name a place and a day
# ("när stänger apoteket i centrum idag"), so they are not offered as a lägesbild.
_OFF_TOPIC = re.compile(
    r"\boppettid\w*|\bhar (?!atgard|punkt|uppgift|arend|plan|vi\b|ni\b|du\b|jag\b|det\b)(?:\w+ ){1,3}oppet\b"
    r"|\bar (?!atgard|punkt|uppgift|arend|plan)(?:\w+ )?\w+(?:en|et|n)(?: i \w+)? (?:oppet|oppen)\b"
    r"|\b(?:nar|vilken tid) (?:oppnar|stanger)\b|\b(?:nar|vilken tid) gar (?:\w+ )?(?:bussen|taget|buss|tag)\b"
    r"|\b(?:snoar|regnar|blaser) det\b|\bkommer det (?:sno|regn|storm)\w*|\bsnorojning\w*|\bintranatet\b"
    r"|\bblir det (?:halt|sno|regn|kallt|varmt|minusgrader)\b|\bvadret\b"
    r"|\bvaderprognos\w*|\bplogas\b|\bskolmeny\w*|\bmatsedel\w*|\bsoporna\b|\bsophamtning\w*"
    r"|\btelefonnummer\w*|\bvaxelnummer\w*|\bboka (?:\w+ )?(?:konferensrum\w*|motesrum\w*|lokal\w*|tolk)\b"
    r"|\bheadset\w*|\bhur (?:gor|tar) (?:jag|man) en skarmdump|\blosenord\w*|\bskrivaren\b|\bovertid\b"
    r"|\blonespec\w*"
    r"|\bsemesteransok\w*|\btranslate\b|\bopening hours\b|\bweather\b")


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


_SPAN_AHEAD = re.compile(r"\b(?P<n>\d{1,3}|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio) "
                         r"(?P<unit>dag|dagar|vecka|veckor|manad|manader|days?|weeks?|months?)\b")


@dataclass
class _Message:
    """One message as the slot readers need it; the focus-area match is found once and shared."""

    words: Words
    folded: str
    now: datetime
    config: Any
    member_names: tuple[str, ...] = ()
    clean: str = ""

    @cached_property
    def focus(self) -> catalog.Match | None:
        return catalog.best(self.words.folded, catalog.focus_area_terms(self.config))

    @property
    def focus_words(self) -> set[int]:
        return _span(self.focus)

    def time(self, direction: str, skip: set[int] = frozenset(), *, narrowest: bool = False
             ) -> tuple[dict | None, set[int]]:
        """The time expression in the message as a slot value, and the words it took."""
        found = find_time(self.words, self.now, direction, set(skip), self.config.school_break_weeks(),
                          narrowest=narrowest)
        if found is None:
            return None, set()
        interval, start, end = found
        return interval.as_json(), set(range(start, end))

    def snooze_until(self, skip: set[int]) -> dict | None:
        """Until when an action's reminders rest: a time ("till måndag"), or a span from now ("en vecka")."""
        until, _ = self.time("future", skip)
        span = _SPAN_AHEAD.search(self.folded) if until is None else None
        if span is not None:
            unit = {"day": "dag", "days": "dagar", "week": "vecka", "weeks": "veckor", "month": "manad",
                    "months": "manader"}.get(span["unit"], span["unit"])
            until = read_time(f"om {span['n']} {unit}", self.now, "future")
            until = until.as_json() if until else None
        return until

    def owner_found(self) -> Owner | None:
        """Who is responsible; words of a focus area's name ("Kommun fri från våld") are not an owner."""
        names = tuple(dict.fromkeys((*(member.name for member in self.config.members), *self.member_names)))
        return find_owner(self.words, self.focus_words, names, self.config)

    def owner_slots(self) -> dict[str, str]:
        found = self.owner_found()
        return found.slots() if found else {}


def _span(match) -> set[int]:
    return set(range(match.start, match.end)) if match else set()


def _filled(**slots: Any) -> dict[str, Any]:
    return {key: value for key, value in slots.items() if value is not None}


def _focus_time_place(message: _Message, time_slot: str) -> tuple[dict[str, Any], set[int]]:
    """What logging and the lägesbild share: focus area, a time read towards the past, and the words used."""
    focus = message.focus
    # when an entry happened is its most exact time; a lägesbild's period is the longest phrase
    interval, time_words = message.time("past", message.focus_words, narrowest=time_slot == "when")
    return _filled(focus_area=focus.code if focus else None, **{time_slot: interval}), \
        message.focus_words | time_words


def _add_member(clean: str, folded: str) -> Understanding:
    """'lägg till @Karin Lund som medlem, kommunen, fritidsledare' (the person is the @mention)."""
    party = "polis" if re.search(r"\bpolis\w*", folded) else "kommun" if re.search(r"\bkommun\w*", folded) else None
    admin = bool(re.search(r"\badmin\w*|\badministrator\w*", folded))
    parts = [p.strip(" .") for p in re.split(r"[,;]", clean)]
    role = next((p for p in reversed(parts[1:]) if p and not re.search(
        r"(?i)\b(?:kommun\w*|polis\w*|admin\w*|administratör\w*|medlem\w*)\b", p)), None)
    return Understanding("add_member", _filled(party=party, role=role, admin=admin or None))


def _managed_member(clean: str, folded: str) -> Understanding | None:
    """Making a member an admin or not, removing one, listing them; the name as written."""
    if _LIST_MEMBERS.match(folded):
        return Understanding("list_members")
    for pattern, intent, slots in ((_UNMAKE_ADMIN, "set_admin", {"admin": False}),
                                   (_MAKE_ADMIN, "set_admin", {"admin": True}),
                                   (_REMOVE_MEMBER, "remove_member", {})):
        found = pattern.match(folded)
        if found:
            name = next(part for part in found.groups() if part)
            return Understanding(intent, {**slots, "name": _written_tail(clean, name)})
    return None


_HERE = re.compile(r"\b(?:har|hit|here)\b")
_IN_THIS_CHANNEL = re.compile(r"\bi (?:den har|denna|detta|det har) (?:kanal|rum|chatt|team)\w*"
                              r"|\bin this (?:channel|room)")
_POSTING = re.compile(r"\b(?:posta\w*|skicka\w*|publicera\w*|lagg\w* upp|lagg\w* ut|dela|post|send|publish)\b")
_FROM_NOW_ON = re.compile(r"\b(?:framover|hadanefter|fortsattningsvis|i fortsattningen|alltid|from now on"
                          r"|ska (?:\w+ ){0,4}(?:hamna|komma|postas|publiceras|laggas|skickas|fa)"
                          # a generic plural is a habit; "skicka underlagen hit" is one request now
                          r"|dagordningar|agendor|kallelser)\b")


def _posts_here_from_now_on(folded: str) -> bool:
    """"posta dagordningen för SSPF här framöver", "publicera obrå-underlag i denna kanal": a standing wish for
    where a forum's posts go, not one agenda now."""
    if _IN_THIS_CHANNEL.search(folded) and (_POSTING.search(folded) or _FROM_NOW_ON.search(folded)):
        return True
    return bool(_HERE.search(folded) and _FROM_NOW_ON.search(folded) and (_POSTING.search(folded)
                or re.search(r"\b(?:dagordning|agend|underlag|kallelse)\w*", folded)))


def _meeting(message: _Message, clean: str) -> Understanding | None:
    """Forums and their meetings: bind a channel, cancel a meeting, set one or a series."""
    folded = message.folded
    forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
    code = forum.code if forum else None
    if _UNBIND.search(folded):
        return Understanding("unbind_channel", _filled(forum=code))
    if _BIND.search(folded) or code and _posts_here_from_now_on(folded):
        return Understanding("bind_channel", _filled(forum=code))
    if _CANCEL_MEETING.search(folded):
        when, _ = message.time("future", _span(forum))
        upcoming = when is None and re.search(r"\bnasta\b", folded) is not None  # "ställ in nästa sspf"
        return Understanding("cancel_meeting", _filled(forum=code, when=when, next=upcoming or None))
    if forum is None:
        return None
    if _RECURRENCE.search(folded):
        start = forum.end if forum.end < len(message.words) else len(message.words)
        rule = message.words.text(start, len(message.words)).strip(" :,.")
        rule = re.sub(r"^(?:ar|blir|halls|traffas|moter|motes|är)\s+", "", rule, flags=re.IGNORECASE)
        return Understanding("schedule_meeting", _filled(forum=code, recurrence=rule or None))
    if _IS.search(folded):
        when, _ = message.time("future", _span(forum))
        if when is not None:
            return Understanding("schedule_meeting", {"forum": code, "when": when})
    return None


_FIELD_EDIT = re.compile(r"^(?:andra |ratta |byt |satt )?(?:tid\w*|nar|datum\w*|plats\w*|var|stalle\w*|fokus\w*"
                         r"|omrade\w*|typ\w*|sort\w*|slag\w*|beskrivning\w*|text\w*|vad|kalla\w*|part\w*)\s*"
                         r"(?:till|:|=|ar|(?:ska|skall|skulle) (?:vara|va))\s", re.IGNORECASE)
_NEGATED = re.compile(r"(?:,\s*|\s+)(?:inte|ej|not)\s+.*$|^(?:inte|ej)\s+\S+\s*,?\s*(?:utan\s+)?", re.IGNORECASE)
_KIND_WORDS = ("medborgardialog", "medarbetardialog", "statistik", "iakttagelse", "handelse", "händelse")


def _change(change: str | None, config: Any, now: datetime) -> str | None:
    """A correction as '<field> till <value>': 'ändra plats till Diö torg' stays; '#O8 var i Diö, inte Älmhult'
    becomes 'plats till Diö'; 'fel datum, det var i lördags' becomes 'tid till i lördags'."""
    if not change or _FIELD_EDIT.match(fold(change)):
        return change or None
    positive = _NEGATED.sub("", change).strip(" ,.") or change
    positive = re.sub(r"^(?:fel \w+(?: p[aå])?[,:]?\s*)?(?:det (?:var|h[aä]nde|[aä]r)|det blev|ska vara|skulle vara"
                      r"|ska ha|var|h[aä]nde|g[aä]ller|g[aä]llde)\s+", "", positive, flags=re.IGNORECASE).strip(" ,.")
    words = Words.of(positive)
    folded = fold(positive)
    focus = catalog.best(words.folded, catalog.focus_area_terms(config))
    if focus is not None:
        return f"fokusområde till {words.written(focus.start, focus.end)}"
    kind = next((k for k in _KIND_WORDS if fold(k) in folded), None)
    if kind is not None:
        return f"typ till {kind}"
    found = find_time(words, now, "past", set(), config.school_break_weeks())
    if found is not None and found[2] - found[1] >= len(words) - 2:
        return f"tid till {words.written(found[1], found[2])}"
    place = find_place(Words.of("vid " + positive), set(), config)
    if place is not None:
        return f"plats till {place.text}"
    return change


def _observation_ref(clean: str, folded: str, match: re.Match[str], config: Any = None,
                     now: datetime | None = None) -> Understanding:
    """'ta bort #O12', 'återställ #O12', 'ändra #O12 plats till …' (the change is kept as written), otherwise
    show it."""
    ref = match.group(1) or match.group(2) or match.group(3)
    if _RESTORE.search(folded):
        return Understanding("restore_observation", {"ref": ref})
    if _DELETE.search(folded):
        return Understanding("delete_observation", {"ref": ref})
    if _CORRECT.search(folded) or not _SHOW_OBSERVATION.search(folded) and len(folded.split()) > 2:
        # Found again in the original text: folding can change lengths ("ß" → "ss").
        written = _OBSERVATION_REF_WRITTEN.search(clean)
        change = clean[written.end():].strip(" :,.?!") if written else None
        if written and not change:
            change = clean[:written.start()].strip(" :,.?!") or None
        if change and _ONLY_REQUEST.fullmatch(fold(change)):
            change = None  # "kan du ändra #O12?" says what to change, not how: the conversation asks
        return Understanding("correct_observation", _filled(ref=ref, change=_change(change, config, now)))
    return Understanding("show_observation", {"ref": ref})


def _log(message: _Message) -> Understanding:
    slots, taken = _focus_time_place(message, "when")
    place = find_place(message.words, taken, message.config)
    # A bare "logga" starts the guided questions, which ask for the kind; anything more is kept with one.
    told = bool(slots) or place is not None or says_what_happened(message.words.folded)
    kind = observation_kind(message.folded) if told else find_kind(message.folded)
    slots.update(_filled(place=place.text if place else None, kind=kind))
    return Understanding("log_observation", slots)


# A comparison and what it is compared with: "jämfört med förra året", "jämför ANDTS i höst med i fjol" (the
# period before "med" is the lägesbild's own), "fler än i oktober", "mot samma period i fjol". "mot" alone is
# "against" far more often ("hot mot personal"), so it compares only when a time follows.
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_COMPARE = re.compile(r"\b(?:jamfort|jamforelse|jmf|jfr|jamf|compared)\b(?: med| mot| to| with)?\s+(?P<what>.*)$"
                      r"|\b(?:jamfor|compare)\b(?:.*?\b(?:med|mot|with|to)\b)?\s+(?P<with>.*)$"
                      r"|\b(?:mot|vs|versus)\s+(?P<against>(?:forra|forr|fjol|i fjol|ifjol|fjolaret|samma|aret|last"
                      rf"|previous|{_MONTHS}|\d).*)$"
                      r"|\b(?:mer|fler|farre|mindre|storre|hogre|lagre|more|less|fewer)\b.*?\b(?:an|than)\s+"
                      r"(?P<than>.*)$")
_PREVIOUS_YEAR = re.compile(r"\b(?:forra aret|i fjol|ifjol|fjolaret|forra (?:hosten|varen|sommaren|vintern"
                            r"|terminen|nyaret|julen|valborg|midsommar)|(?:hosten|varen|sommaren|vintern) innan"
                            r"|samma (?:period|tid|manad|vecka)"
                            r"|aret innan|arets? före|last year)\b")


_ALL_OF_A_KIND = re.compile(r"[a-z]+(?:orna|erna|arna)|[a-z]*(?:skolor|platser|stallen|omraden|parker|byar)")


def _situation(message: _Message) -> Understanding:
    """The lägesbild's focus area, period and place, and a comparison ('jämfört med förra året')."""
    compare = _COMPARE.search(message.folded)
    compared_words: set[int] = set()
    slots: dict[str, Any] = {}
    if compare is not None:
        group = next(name for name in ("what", "with", "against", "than") if compare[name] is not None)
        slots["compare"] = "previous_year" if _PREVIOUS_YEAR.search(compare[group]) else "previous_period"
        offset = len(message.folded[:compare.start(group)].split())
        compared_words = set(range(offset, len(message.words)))
    focus = message.focus
    period, time_words = message.time("past", message.focus_words | compared_words)
    slots.update(_filled(focus_area=focus.code if focus else None, period=period))
    taken = message.focus_words | time_words | compared_words
    every_focus_word = set().union(*(_span(m) for m in catalog.find(
        message.words.folded, catalog.focus_area_terms(message.config))))
    place = find_place(message.words, taken | every_focus_word, message.config)
    if place is not None and place.start == 1 and message.words.folded[0] in ("vilka", "vilken", "vilket", "which"):
        # "vilken skola har flest …" asks which one; "vilka platser i Diö …" is about Diö
        place = find_place(message.words, taken | every_focus_word | {1}, message.config)
    if place is None:
        written = capitalised_words(message.words, taken | every_focus_word)
        slots.update(_filled(place=written[0] if written else None))
    elif not _ALL_OF_A_KIND.fullmatch(fold(place.text)):  # "på skolorna": every school, not a place filter
        slots["place"] = place.text
    return Understanding("show_situation", slots)


# "vem är ansvarig för trygghetsvandringarna", "vem har hand om nattvandringen": who owns the actions about it.
_WHO_OWNS = re.compile(r"\bvem (?:ar|har) (?:ansvar\w*|hand om|huvudansvar\w*)\b|\bvem (?:ansvarar|ager|driver)\b")
# What an action is about, after "om", "för", "kring": "åtgärder om nattvandring", "vem ansvarar för X".
_ABOUT = re.compile(r"\b(?:om|for|kring|gallande|angaende|rorande|over)\s+(?P<about>[a-z0-9][a-z0-9 -]*)$")
_ABOUT_FILLER = frozenset("""
    den det de dem en ett vara var ar alla allt nagon nagot nagra vi ni mig oss dig sig sin sitt sina
    atgard atgarden atgarder atgarderna planen atgardsplanen ansvarig ansvar ansvarar hand och i pa
    slutdatum deadline datum status klar klara oppna forsenade vid till med fran av under
""".split())


def _list_actions(message: _Message) -> Understanding:
    status = find_status(message.folded)
    # what is done or overdue was due before today: "försenade åtgärder som skulle varit klara i oktober"
    due, due_words = message.time("past" if status in ("done", "overdue") else "future", message.focus_words)
    owner = message.owner_slots()
    named = catalog.find(message.words.folded, catalog.focus_area_terms(message.config))
    about = None if named or owner else _about(message, due_words)
    return Understanding("list_actions", _filled(
        status=status, focus_area=message.focus.code if message.focus else None, due=due, about=about, **owner))


def _about(message: _Message, taken: set[int]) -> str | None:
    """The words an action's title should hold, as written ("trygghetsvandringarna"), or None."""
    kept = [i for i in range(len(message.words.folded)) if i not in taken]
    folded = [message.words.folded[i] for i in kept]
    match = _ABOUT.search(" ".join(folded).strip(" ?!.,"))
    if match is None:
        return None
    first = len(match.string[:match.start("about")].split())
    # As written (the answer shows it); the action plan is searched by the words' stems.
    written = [message.words.original[i].casefold() for i in kept[first:]]
    words = [word for word, plain in zip(written, folded[first:], strict=True)
             if plain not in _ABOUT_FILLER and len(plain) > 2 and plain.isalnum()]
    return " ".join(words) or None


def _create(message: _Message) -> Understanding:
    owner = message.owner_slots()
    due, due_words = message.time("future")
    cue = next((i for i, word in enumerate(message.words.folded) if word in _DUE_CUES), None)
    if cue is not None and due_words and min(due_words) < cue:
        # "vandringar fre och lör kvällar, klart 31/1": the date after "klart" is the due date; the days
        # before it belong to the title
        after, after_words = message.time("future", set(range(cue)))
        if after is not None:
            due, due_words = after, after_words
    commas = [i for i, word in enumerate(message.words.folded) if word == ","]
    if due_words and commas and max(due_words) < commas[-1]:
        # "sammanställa anmälningar för hösten, Olle Polis, 4/12": a time after the last comma is the due
        # date; the one before it is part of the title
        last, last_words = message.time("future", set(range(commas[-1] + 1)))
        if last is not None:
            due, due_words = last, last_words
    if owner.get("owner") == "me" and not _CREATE_FOR_ME.search(message.folded):
        owner = {}  # "mig" in a title ("ring mig …") does not make the writer responsible
    return Understanding("create_action", _filled(
        due=due, focus_area=message.focus.code if message.focus else None, title=_title(message.words, due_words),
        **owner))


def _postpone(message: _Message, ref: tuple[str, set[int]]) -> Understanding:
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
    return Understanding("postpone_action", _filled(ref=ref[0], due=due, by=by, reason=reason_text))


_REASON_AFTER_TIME = re.compile(r"^\s*(?:[,;:–—-]+\s*(?P<text>.+)|(?P<lead>(?:vi |de )?(?:in)?v[aä]ntar\b.+))$",
                                re.IGNORECASE | re.DOTALL)
_RELATIVE_UNIT = re.compile(r"^(?:dag|dagar|vecka|veckor|manad|manader|day|days|week|weeks|month|months)$")


def _reason_after_time(message: _Message, ref_words: set[int], due_words: set[int] | None,
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


def _moves_the_date(message: _Message, ref_words: set[int]) -> bool:
    """A time right after "till" is where the action moves; "flytta #59 till Olle, jag är ledig i april" gives
    it to Olle, and a time elsewhere only says why."""
    when, span = message.time("future", ref_words)
    if when is None:
        return False
    words = message.words.folded
    targets = [i for i, word in enumerate(words) if word in ("till", "to")]
    return not targets or any(min(span) == i + 1 or min(span) == i + 2 and words[i + 1] in ("den", "v", "vecka")
                              for i in targets)


def _action_change(message: _Message, ref: tuple[str, set[int]], clean: str) -> Understanding | None:
    """What a message naming an action (#12) asks to do with it, in order of how specific the words are."""
    folded = message.folded
    number_text = ref[0]
    if _COMMENT.search(folded):
        return Understanding("comment_action", _filled(ref=number_text, text=_comment_text(clean)))
    if _CANCEL_ACTION.search(folded):
        reason = _REASON.search(clean) or re.search(r"#?\d+[^,;:]*[,;:–-]\s*(?P<text>.{3,})$", clean)
        return Understanding("cancel_action", _filled(ref=number_text,
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
        return Understanding("complete_action", _filled(ref=number_text, text=note))
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


_ACTION_WORDS = frozenset({"action", "task", "atg", "uppgift", "uppgiften", "todo", "nyatgard", "punkt"})
_DUE_CUES = frozenset({"klart", "klar", "senast", "deadline", "due", "slutdatum", "fardigt", "fardig", "fardiga"})
_TITLE_STOPS = frozenset({"ansvarig", "ansvarar", "ansvarige", "senast", "klart", "deadline", "due", "responsible"})
_OWNER_WORDS = frozenset({"polisen", "kommunen", "gemensamt", "gemensam", "jag", "mig"})
_TITLE_PREPOSITIONS = frozenset({"med", "for", "av", "till", "om", "mot", "hos", "at", "fran", "with", "by"})
_PLAN_WORDS = frozenset({"planen", "handlingsplanen", "atgardsplanen", "plan", "plans"})
_SUBJECTS = frozenset({"polisen", "kommunen", "vi", "skolan", "soc", "socialtjansten", "fritid", "jag"})


def _title(words: Words, due_words: set[int]) -> str | None:
    """The action as written: after 'ny åtgärd:' (or its qualifiers 'för polisen:', 'inom ANDTS:'), without
    'polisen ska', up to a comma, a full stop, the owner or the due date."""
    folded = words.folded
    start = next((i + 1 for i, w in enumerate(folded) if w.startswith("atgard") or w in _ACTION_WORDS), None)
    if start is None:  # "kan vi lägga till i planen att polisen ska …"
        start = next((i + 1 for i, w in enumerate(folded) if w == "att" and i and folded[i - 1] in (
            "planen", "till", "in", "upp")), None)
    if start is None:  # "lägg till i planen: …", "lägg till: …", "add to the plan: …", "lägga till i planen en …"
        start = next((i + 1 for i, w in enumerate(folded) if w in _PLAN_WORDS or w == ":" and i and folded[i - 1] in (
            "till", "in", "upp", "add")), None)
    if start is None:
        return None
    colon = next((i for i in range(start, min(start + 6, len(words))) if folded[i] == ":"), None)
    if colon is not None:
        start = colon + 1
    # "… en åtgärd åt mig? kontrollera …", "… ny åtgärd? ska vara grannsamverkan …": the request, then the action
    while start < len(words) and (folded[start] in ("om", "for", "att", ":", ",", "i", "planen", "som", "?", "!") or
                                  folded[start] == "at" and start + 1 < len(words) and folded[start + 1] in (
                                      "mig", "oss", "dig", "er")):
        start += 2 if folded[start] == "at" else 1
    if start + 1 < len(words) and folded[start] in ("ska", "skall", "det") and folded[start + 1] in ("vara", "ska"):
        start += 3 if folded[start] == "det" and start + 2 < len(words) and folded[start + 2] == "vara" else 2
    if start + 1 < len(words) and folded[start] in _SUBJECTS and folded[start + 1] in ("ska", "skall", "bor", "maste"):
        start += 2
    end = start
    while end < len(words) and folded[end] not in ",;?" and end not in due_words and folded[end] not in _TITLE_STOPS:
        if end > start and _sentence_break(words, end):
            break
        end += 1
    while end > start and (folded[end - 1] in ("till", "senast", "fore", "innan", "pa", "den", "klart", "och", "asap",
                                               "snarast", "omgaende")
                           or folded[end - 1] in _OWNER_WORDS and folded[end - 2] not in _TITLE_PREPOSITIONS):
        end -= 1  # "… med polisen" keeps its police: a preposition before it makes it part of the title
    title = words.written(start, end).strip(" .,:;-–?!") if end > start else ""
    if title.count("(") > title.count(")"):
        title = title[:title.rindex("(")].strip(" .,:;-–?!")
    return title[:1].upper() + title[1:] if title else None


def _sentence_break(words: Words, index: int) -> bool:
    """A full stop between word ``index - 1`` and word ``index``; a dash or brackets are part of a title
    ("tobaksfri skoltid – uppföljning", "utbildning i våldsprevention (MVP) för personal")."""
    if not words.spans:
        return False
    between = words.source[words.spans[index - 1][1]:words.spans[index][0]]
    return "." in between


_REMIND_TEXT = re.compile(r"\b(?:om att|att|om|about|to)\b\s+(?P<text>.+)$", re.IGNORECASE)
_REMIND_LEAD = re.compile(r"^(?:kan du |snalla |please |glom inte (?:att )?|kom ihag (?:att )?"
                          r"|(?:kan du )?(?:satt|lagg in|skapa|gor) (?:upp )?(?:en )?|en ny |ny )?"
                          r"(?:paminn\w*|pamin\w*|remind\w*)(?: mig| mej| me)?\b", re.IGNORECASE)


def _remind(message: _Message) -> Understanding:
    """'påminn mig imorgon kl 9 om att ringa skolan', 'påminnelse: ring skolan imorgon kl 8'."""
    interval, time_words = message.time("future")
    words = message.words
    lead = _REMIND_LEAD.match(message.folded)
    first = len(lead[0].split()) if lead is not None else 0
    # The text as written, without the time: what the privacy guard screens is what is stored.
    pieces, start = [], first
    for index in sorted(time_words) + [len(words)]:
        if index > start:
            pieces.append(words.written(start, index))
        start = max(start, index + 1)
    text = " ".join(piece.strip() for piece in pieces if piece.strip())
    if lead is not None and text.startswith(":"):
        text = text[1:]  # "ny påminnelse: ring räddningstjänsten om eldningen": all of it is what to do
    else:
        match = _REMIND_TEXT.match(text) or _REMIND_TEXT.search(text)
        text = match["text"] if match else text
    text = text.strip(" :,.-")
    text = re.sub(r"^(?:mig|me)\b\s*[:,]?\s*", "", text, flags=re.IGNORECASE).strip(" :,.-")
    return Understanding("remind_me", _filled(when=interval, text=text or None))


# --- slots for an intent the classifier chose ------------------------------------------------------------

def slots_for(intent: str, clean: str, now: datetime, config: Any,
              member_names: tuple[str, ...] = ()) -> Understanding:
    """The slots of ``intent`` in the message, read as if the rules had chosen it."""
    message = _Message(Words.of(clean), fold(clean), now, config, member_names, clean)
    reader = _READERS.get(intent)
    return reader(message) if reader is not None else Understanding(intent)


def _forum_code(message: _Message) -> str | None:
    forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
    return forum.code if forum else None


def _with_ref(intent: str) -> Callable[[_Message], Understanding]:
    """An action intent the classifier chose: its number read loosely, the rest as the rules read it."""
    def read(message: _Message) -> Understanding:
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
        changed = _action_change(message, ref, message.clean)
        if changed is not None and changed.intent == intent:
            return changed
        if intent == "reassign_action":
            return Understanding(intent, {"ref": ref[0], **message.owner_slots()})
        if intent == "snooze_action":
            until = message.snooze_until(ref[1])
            return Understanding(intent, _filled(ref=ref[0], until=until))
        return Understanding(intent, {"ref": ref[0]})
    return read


def _list_done_or_due(message: _Message) -> Understanding:
    if _DONE_QUESTION.search(message.folded) and find_status(message.folded) != "overdue":
        done, _ = message.time("past", message.focus_words)
        return Understanding("list_actions", _filled(
            status="done", due=done, **message.owner_slots(),
            focus_area=message.focus.code if message.focus else None))
    return _list_actions(message)


_PARTIES = re.compile(r"\b(?:part\w*|vilka (?:ar|sitter) med|vem (?:ar|sitter) med|who (?:is|are) (?:in|part))\b")
_EXPLAIN = re.compile(r"\b(?:vad (?:ar|betyder|gor|innebar|ingar|handlar|star|jobbar|ansvarar|sager|ska vi)"
                      r"|vilka (?:sitter|deltar|ar med|mal|delar)|vem (?:ar|sitter) med|vem deltar|what is|what does"
                      r"|forklara|uppdrag|vad for (?:fokusomrade|forum))\b")


_DEFINITION = re.compile(r"^(?:vad (?:ar|betyder|innebar|menas med|star)|vad ar det for|vadan|what (?:is|does|are)"
                         r"|forklara|explain)\b")
_DEFINITION_FILLER = frozenset("vad ar betyder innebar menas med star det for egentligen nagot nat forkortningen "
                               "ordet begreppet what is does are mean explain forklara a an the".split())


def _names_only_an_entry(message: _Message) -> bool:
    """The question's words beyond asking are one focus area's or one forum's name, nothing else."""
    folded = message.words.folded
    spans = [m for terms in (catalog.focus_area_terms(message.config), catalog.forum_terms(message.config))
             for m in catalog.find(folded, terms)]
    named = set().union(*(_span(m) for m in spans)) if spans else set()
    rest = [w for i, w in enumerate(folded) if i not in named and w not in _DEFINITION_FILLER and w.isalnum()]
    return bool(named) and not rest


def _agreement(message: _Message) -> Understanding:
    folded = message.folded
    forum = _forum_code(message)
    explain = _EXPLAIN.search(folded) or re.search(r"\b(?:vad|vilka|vem)\b.*\?$|^\w+ ?[–-] ", folded)
    how_often = re.search(r"\bhur (?:ofta|manga ganger)\b", folded)
    if forum and (explain or how_often):
        return Understanding("agreement_info", _filled(topic="forum", forum=forum, how_often=bool(how_often) or None))
    if message.focus is not None and (explain or "fokusomrade" in folded):
        return Understanding("agreement_info", {"topic": "focus_area", "focus_area": message.focus.code})
    for topic, pattern in _AGREEMENT_TOPICS:
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


def _help(message: _Message) -> Understanding:
    topic = next((name for name, pattern in _HELP_TOPICS if pattern.search(message.folded)), None)
    return Understanding("help", _filled(topic=topic))


def _list_observations(message: _Message) -> Understanding:
    period, _ = message.time("past", message.focus_words)
    mine = re.search(r"\b(?:mina|min|mitt|jag|my|i)\b", message.folded)
    return Understanding("list_observations", _filled(
        owner="me" if mine else None, period=period, focus_area=message.focus.code if message.focus else None))


_NUMBER_WORDS = {"ett": "1", "en": "1", "tva": "2", "tre": "3", "fyra": "4", "fem": "5", "sex": "6", "sju": "7",
                 "atta": "8", "nio": "9", "tio": "10", "forsta": "1", "andra": "2", "tredje": "3", "fjarde": "4",
                 "femte": "5", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "first": "1",
                 "second": "2", "third": "3"}
# The reminder's number in "mina påminnelser": "påminnelse #8", "reminder 4", "påminnelse tre", "den första
# påminnelsen", "ta bort 2".
_REMINDER_NUMBER = re.compile(r"\b(?:paminnelse\w*|reminder\w*|nr|nummer)\s*(?:nr|nummer)?\s*#?\s*"
                              rf"(?P<n>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})\b|#\s*(?P<h>\d{{1,3}})\b"
                              r"|\b(?P<o>forsta|andra|tredje|fjarde|femte|first|second|third)"
                              r" (?:paminnelsen|reminder)\b"
                              r"|^(?:ta bort|radera|stryk|avbryt|delete|remove|cancel) (?P<m>\d{1,3})$")
# "påminnelsen om X behövs inte längre", "… kan du ta bort": what is said about the reminder, not its name.
_NO_LONGER = re.compile(r"\s+(?:längre|langre|behövs inte|behovs inte|är inte aktuell|ar inte aktuell|kan du ta bort"
                        r"|ta bort den|kan tas bort|är klar|ar klar|är fixad|ar fixad|är gjord|ar gjord)\b.*$",
                        re.IGNORECASE)
_REMINDER_ABOUT = re.compile(r"\b(?:om att|om|att|about)\s+(?P<text>.+)$", re.IGNORECASE)


def _cancel_reminder(message: _Message) -> Understanding:
    number = _REMINDER_NUMBER.search(message.folded)
    if number:
        found = next(number[group] for group in ("n", "h", "o", "m") if number[group])
        return Understanding("cancel_reminder", {"ref": _NUMBER_WORDS.get(found, found)})
    text = message.words.text(0, len(message.words))
    about = _REMINDER_ABOUT.search(_NO_LONGER.sub("", text.split(",")[0]))
    when, _ = message.time("future")
    return Understanding("cancel_reminder", _filled(text=about["text"].strip(" .!?") if about else None, when=when))


_MOVE_TO = re.compile(r"\b(?:till|to)\b")


_CLOCK_ONLY = re.compile(r"^(?:kl |klockan )?\d{1,2}(?: \d{2})?(?: istallet| samma dag)*$")


def _arrow_split(message: _Message) -> int:
    """The index of the first word after an arrow."""
    cut = message.clean.find("→") if "→" in message.clean else message.clean.find("->")
    return len(Words.of(message.clean[:cut]).folded)


def _move_meeting(message: _Message) -> Understanding:
    """'flytta operativa brå 5/1 till 7/1 kl 10': the meeting's day, then where it goes after 'till'."""
    words = message.words
    forum = catalog.best(words.folded, catalog.forum_terms(message.config))
    skip = _span(forum)
    split = next((i for i, word in enumerate(words.folded) if word in ("till", "to", "blir") and i not in skip), None)
    rest = split + 1 if split is not None else None  # where the new time begins
    if split is None and ("→" in message.clean or "->" in message.clean):  # "obrå tisdag → onsdag"
        split = rest = _arrow_split(message)
    before = set(range(split, len(words))) if split is not None else set()
    # "från 10/12 till 14/12": the meeting's day, not "since 10/12"
    before |= {i for i, word in enumerate(words.folded) if word in ("fran", "from")}
    after = set(range(0, rest)) if rest is not None else set(range(len(words)))
    moved_from, _ = message.time("future", skip | before)
    moved_to, _ = message.time("future", skip | after) if split is not None else (None, None)
    if moved_from is not None and moved_to is not None and rest is not None and _CLOCK_ONLY.match(
            " ".join(words.folded[rest:])):
        # "op brå imorgon flyttas till kl 13", "… till kl 15 samma dag": the same day at the new hour
        moved_to = {"start": moved_from["start"][:11] + moved_to["start"][11:],
                    "end": moved_from["start"][:11] + moved_to["end"][11:]}
    return Understanding("move_meeting", _filled(forum=forum.code if forum else None, **{"from": moved_from},
                                                 to=moved_to))


def _meeting_for(intent: str) -> Callable[[_Message], Understanding]:
    def read(message: _Message) -> Understanding:
        found = _meeting(message, message.clean)
        if found is not None and found.intent == intent:
            return found
        forum = catalog.best(message.words.folded, catalog.forum_terms(message.config))
        slots = _filled(forum=forum.code if forum else None)
        if intent in ("schedule_meeting", "cancel_meeting"):
            when, _ = message.time("future", _span(forum))
            slots.update(_filled(when=when))
        if intent == "next_meeting":  # "operativa brå i januari": the meetings in that period
            period, _ = message.time("future", _span(forum))
            slots.update(_filled(period=period))
        return Understanding(intent, slots)
    return read


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
