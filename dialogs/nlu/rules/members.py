"""Who is who and who may do what: members, admins, roles ("vem är kommunpolis")."""

from __future__ import annotations

import re

from dialogs.nlu.reading import Understanding
from dialogs.nlu.rules.message import filled, written_tail

WHOAMI = re.compile(r"^(?:vem ar jag|who am i|min roll|vilken roll har jag|vad har jag for roll|kanner du mig)\W*$")
# "vem är kommunpolis i Älmhult", "vem är vår samordnare?": the members with a role.
WHO_IS = re.compile(r"^(?:vem|who) (?:ar|e|is|are) (?:var |vara |er |era |kommunens |polisens |the )?"
                     r"(?P<role>[a-z][a-z -]{2,40}?)(?: (?:i|pa|hos|for|in) [a-z]+)?\W*$")
NOT_ROLES = frozenset({"jag", "du", "ni", "vi", "ansvarig", "ansvariga", "med", "det", "den", "detta", "parterna",
                        "part", "parter", "boten", "i", "pa", "nasta", "sspf", "bra",
                        "strategiska", "operativa", "styrgruppen", "you", "responsible"})


# What the collaboration holds is not a role: "vilka är fokusområdena", "vilka är medborgarlöftena".
DOMAIN_NOUNS = re.compile(r"\b(?:fokus\w*|omrade\w*|forum\w*|lofte\w*|medborgarlofte\w*|atgard\w*|mote\w*"
                           r"|part\w*|overenskommelse\w*|avtal\w*|malen|mal|regler\w*|tider\w*|datum\w*"
                           r"|forsenad\w*|klar\w*|oppna|mina|dina|nya|senaste|nasta|sist\w*)\b")


ADD_MEMBER = re.compile(r"^(?:lagg till|add)\b.*\b(?:som )?(?:medlem\w*|member)\b")
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


def read_add_member(clean: str, folded: str) -> Understanding:
    """'lägg till @Karin Lund som medlem, kommunen, fritidsledare' (the person is the @mention)."""
    party = "polis" if re.search(r"\bpolis\w*", folded) else "kommun" if re.search(r"\bkommun\w*", folded) else None
    admin = bool(re.search(r"\badmin\w*|\badministrator\w*", folded))
    parts = [p.strip(" .") for p in re.split(r"[,;]", clean)]
    role = next((p for p in reversed(parts[1:]) if p and not re.search(
        r"(?i)\b(?:kommun\w*|polis\w*|admin\w*|administratör\w*|medlem\w*)\b", p)), None)
    return Understanding("add_member", filled(party=party, role=role, admin=admin or None))


def read_managed_member(clean: str, folded: str) -> Understanding | None:
    """Making a member an admin or not, removing one, listing them; the name as written."""
    if _LIST_MEMBERS.match(folded):
        return Understanding("list_members")
    for pattern, intent, slots in ((_UNMAKE_ADMIN, "set_admin", {"admin": False}),
                                   (_MAKE_ADMIN, "set_admin", {"admin": True}),
                                   (_REMOVE_MEMBER, "remove_member", {})):
        found = pattern.match(folded)
        if found:
            name = next(part for part in found.groups() if part)
            return Understanding(intent, {**slots, "name": written_tail(clean, name)})
    return None
