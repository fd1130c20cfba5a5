"""Who may do what by access level: an admin anything, a member everything but admin work, a reader (läsare)
follows the lägesbild and the action plan, a reporter (rapportör) logs observations and sees their own.

Plain functions of the intent (the use case a message asks for) and the asker's level, so they test without
chat or SQL; the conversation checks them before it runs a handler, and the use cases that read one
observation check ``may_see_observation`` and ``may_see_sensitive``.
"""

from __future__ import annotations

from domain.situation import Asker
from domain.vocabulary import Access

ADMIN = "admin"

# What anyone known to the bot may ask: help, who am I, and the safety answers (112, orosanmälan).
EVERYONE = frozenset({"help", "thanks", "unknown", "whoami", "emergency", "unclear_concern", "individual_case"})
# A reporter's whole world: logging, and their own observations (the use case checks "own").
OWN_OBSERVATIONS = frozenset({"log_observation", "undo_observation", "list_observations", "show_observation",
                              "correct_observation", "delete_observation", "restore_observation",
                              "mark_sensitive"})
# Reading the joint work: the lägesbild, the action plan, meetings, the agreement, the members; and one's own
# reminders, which change nothing anyone else sees.
READING = frozenset({"show_situation", "list_actions", "show_action", "more", "next_meeting", "meeting_brief",
                     "agreement_info", "show_promises", "list_observations", "show_observation", "who_is",
                     "list_members", "remind_me", "list_reminders", "cancel_reminder", "reminder_settings"})

ALLOWED: dict[str, frozenset[str]] = {
    Access.READER.value: EVERYONE | READING,
    Access.REPORTER.value: EVERYONE | OWN_OBSERVATIONS,
}

# What a refusal says the asker cannot do, by intent ("… och kan inte logga observationer").
DOING = {
    "log_observation": "logga observationer",
    "undo_observation": "ångra ändringar",
    "correct_observation": "rätta observationer",
    "delete_observation": "ta bort observationer",
    "restore_observation": "återställa observationer",
    "mark_sensitive": "markera observationer som känsliga",
    "create_action": "skapa åtgärder",
    "complete_action": "stänga åtgärder",
    "cancel_action": "ställa in åtgärder",
    "postpone_action": "skjuta upp åtgärder",
    "reassign_action": "ge åtgärder till någon annan",
    "comment_action": "kommentera åtgärder",
    "snooze_action": "snooza åtgärder",
    "list_actions": "se åtgärdsplanen",
    "show_action": "se åtgärdsplanen",
    "more": "se åtgärdsplanen",
    "show_situation": "se lägesbilden",
    "meeting_brief": "se mötesunderlag",
    "next_meeting": "se mötena",
    "schedule_meeting": "boka möten",
    "move_meeting": "flytta möten",
    "cancel_meeting": "ställa in möten",
    "agreement_info": "se överenskommelsen",
    "show_promises": "se medborgarlöftena",
    "create_promise": "ändra medborgarlöftena",
    "link_promise": "ändra medborgarlöftena",
    "unlink_promise": "ändra medborgarlöftena",
    "who_is": "se medlemmarna",
    "list_members": "se medlemmarna",
    "add_member": "ändra medlemmarna",
    "set_admin": "ändra medlemmarna",
    "remove_member": "ändra medlemmarna",
    "bind_channel": "koppla kanaler",
    "unbind_channel": "koppla kanaler",
    "remind_me": "sätta påminnelser",
    "list_reminders": "se påminnelser",
    "cancel_reminder": "ändra påminnelser",
    "reminder_settings": "ändra påminnelser",
}

ACCESS_NAMES = {ADMIN: "administratör", Access.MEMBER.value: "medlem", Access.READER.value: "läsare",
                Access.REPORTER.value: "rapportör"}


# What "vem är jag" says a reader or a reporter may do.
ACCESS_SCOPES = {
    Access.READER.value: "Du har läsbehörighet: du kan se lägesbilden, åtgärdsplanen och mötena, men inte logga "
                         "eller ändra något.",
    Access.REPORTER.value: "Du är rapportör: du kan logga observationer och se dem du själv har loggat.",
}


def level(asker: Asker) -> str:
    """The asker's level: "admin" for an admin whatever their access, else their access (member by default)."""
    return ADMIN if asker.is_admin else (asker.access or Access.MEMBER.value)


def may(access: str, intent: str) -> bool:
    """Whether a member at ``access`` (``level``) may do ``intent``. Admins and members may do everything
    (admin-only work is checked by its own use case); readers and reporters what ``ALLOWED`` lists."""
    allowed = ALLOWED.get(access)
    return allowed is None or intent in allowed


def refusal(access: str, intent: str, contact: str) -> str:
    """Why a reader or a reporter may not do ``intent``, in Swedish, and whom to ask."""
    doing = DOING.get(intent, "göra det")
    if access == Access.REPORTER.value:
        return (f"Du är rapportör och kan logga observationer och se dina egna, men inte {doing}. "
                f"Fråga {contact} om du behöver mer.")
    return f"Du har läsbehörighet och kan inte {doing}. Fråga {contact} om du behöver kunna det."


def may_see_observation(asker: Asker, author_member_id: int) -> bool:
    """A reporter sees only what they logged themselves; everyone else sees any observation (``känslig`` aside)."""
    return level(asker) != Access.REPORTER.value or author_member_id == asker.member_id


def may_see_sensitive(asker: Asker, author_party: str) -> bool:
    """A ``känslig`` observation: only members of the party that logged it, and admins."""
    return asker.is_admin or asker.party == author_party


def sensitive_parties(asker: Asker, parties: tuple[str, ...]) -> tuple[str, ...]:
    """The parties whose ``känslig`` observations ``asker`` may read: all for an admin, else their own."""
    return parties if asker.is_admin else (asker.party,)


SHARED_SENSITIVE_TEXT = ("#O{number} är markerad som känslig och visas inte där andra läser med. Skriv ”visa "
                         "#O{number}” till mig i ett enskilt samtal.")
NOT_OWN_TEXT = "Du är rapportör och ser bara observationer som du själv har loggat."


def sensitive_text(number: int, party_name: str) -> str:
    return f"#O{number} är markerad som känslig och visas bara för {party_name} och administratörer."
