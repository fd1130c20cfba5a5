"""How the meeting conversations say a meeting, a forum list and a refusal (shared by asking, scheduling,
cancelling, moving and binding)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.format import bullet_list, days_from_today, meeting_when
from dialogs.replies import send
from domain.situation import Situation
from services.channels import Refused, require_admin
from storage.meetings import Occurrence


def zone_of(situation: Situation) -> ZoneInfo:
    return ZoneInfo(situation.collaboration.timezone)


def forum_list(situation: Situation) -> str:
    return bullet_list([forum.name for forum in situation.collaboration.forums])


def occurrence_line(occurrence: Occurrence, situation: Situation, *, location: bool = True) -> str:
    """'tisdag 8 december kl 13:00 (om 12 dagar), Stadshuset'."""
    zone = zone_of(situation)
    local_day = occurrence.starts_at.astimezone(zone).date()
    line = (f"{meeting_when(occurrence.starts_at, zone, situation.today)} "
            f"({days_from_today((local_day - situation.today).days)})")
    return line + (f", {occurrence.location}" if location and occurrence.location else "")


def capitalized(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


async def admin_only(context, situation: Situation, what: str) -> bool:
    """True (and the refusal said) when the asker is not an admin."""
    try:
        require_admin(situation, what)
    except Refused as refused:
        await send(context, str(refused))
        return True
    return False
