"""``samverkan gdpr``: a data subject's requests, for the data protection officer.

``export`` writes everything the bot holds about one member as JSON and as a readable Swedish HTML page;
``erase`` removes what reaches or identifies them and keeps what they wrote under a pseudonym (see
``storage.subject_data``). Both are audited; neither audit entry carries the name.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from admin.gdpr_page import subject_page
from admin.members import NoOneMember, one_member
from domain.collaboration import load_collaboration
from services.members import Changer, MemberChangeRefused, erase_member, identities_text, pseudonym_for
from storage import AuditLog, MemberRepository
from storage.db import migrated_database
from storage.models import Member
from storage.subject_data import SubjectRecords, mentions, subject_records

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

NOT_ONE = 2  # exit code for a name that is no member's, or several members'
OTHER_MEMBER = "(en annan medlem)"


async def export_subject(settings: Settings, *, name: str | None, member_id: int | None, output: str | None,
                         now: datetime | None = None) -> int:
    zone = ZoneInfo(load_collaboration(settings.config_path).timezone)
    now = now or datetime.now(zone)
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            member = await _one(session, name, member_id)
            if member is None:
                return NOT_ONE
            records = await subject_records(session, member)
            document = subject_document(records, zone, now)
            json_path, html_path = _paths(output, member)
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            html_path.write_text(subject_page(document), encoding="utf-8")
            await AuditLog(session).record("member.exported", actor="cli", subject_type="member",
                                           subject_id=str(member.id), detail=_counts(document))
            await session.commit()
    print(f"Skrev registerutdraget för medlem {member.id} till {json_path} och {html_path}.")
    return 0


async def erase_subject(settings: Settings, *, name: str | None, member_id: int | None, yes: bool) -> int:
    async with migrated_database(settings.database_url) as database:
        async with database.session() as session:
            member = await _one(session, name, member_id)
            if member is None:
                return NOT_ONE
            shown, pseudonym = member.name, pseudonym_for(member)
            configured = _configured(settings, member)
            if not yes:
                records = await subject_records(session, member)
                print(_plan(records, pseudonym))
                refused = await _refusal(session, member)
                if refused:
                    print(refused, file=sys.stderr)
                    return 1
                if configured:
                    print(configured)
                print("Inget är ändrat. Kör samma kommando med --yes för att radera.")
                return 0
            written = await mentions(session, member)
            try:
                erasure = await erase_member(session, member, Changer())
            except MemberChangeRefused as refused:
                print(str(refused), file=sys.stderr)
                return 1
            await session.commit()
    print(f"Raderade {shown}: {erasure.identities} inloggningar och {erasure.conversations} personliga "
          f"konversationer är borttagna, {erasure.reminders} påminnelser raderade. Det hen skrivit finns kvar "
          f"som ”{pseudonym}”. En bot som är igång släpper hen inom en minut.")
    if configured:
        print(configured)
    if written:
        print(f"Fritext som andra skrivit nämner fortfarande namnet: {', '.join(written)}. Granska och ändra "
              "vid behov.")
    return 0


def _configured(settings: Settings, member: Member) -> str | None:
    """A warning when the collaboration file lists the member: the bot would add them again at start."""
    wanted = member.name.casefold()
    keys = {i.user_key for i in member.identities}
    listed = [m for m in load_collaboration(settings.config_path).members
              if " ".join(m.name.split()).casefold() == wanted or {m.teams_object_id, m.matrix_id} & keys]
    if not listed:
        return None
    return (f"Obs: {member.name} står bland medlemmarna i samverkansfilen ({settings.config_path}). Ta bort hen "
            "där, annars lägger boten till hen igen när den startar.")


async def _refusal(session, member: Member) -> str | None:
    """Why erasing would be refused (the last admin), without changing anything."""
    if not (member.is_admin and member.active):
        return None
    admins = [m.id for m in await MemberRepository(session).list() if m.is_admin]
    if admins != [member.id]:
        return None
    return (f"Jag kan inte radera {member.name}: hen är den enda administratören, och boten behöver minst en. "
            "Gör någon annan till administratör först.")


def _plan(records: SubjectRecords, pseudonym: str) -> str:
    member = records.member
    actions = {a.id for a in records.actions_created + records.actions_responsible}
    return "\n".join([
        f"Radering av {member.name} (medlem {member.id}) skulle:",
        f"- ta bort {len(records.identities)} inloggningar ({identities_text(member)}), så att hen inte "
        "längre når boten",
        f"- glömma {len(records.conversations)} personliga konversationer och radera "
        f"{len(records.reminders)} personliga påminnelser",
        f"- byta namnet mot ”{pseudonym}”, ta bort roll och administratörsroll och göra medlemmen inaktiv",
        f"- behålla under pseudonymen: {len(records.observations)} observationsversioner, {len(actions)} "
        f"åtgärder, {len(records.action_updates)} historikposter och {len(records.audit)} poster i "
        "granskningsloggen",
    ])


async def _one(session, name: str | None, member_id: int | None) -> Member | None:
    """The member asked about, removed ones included; a Swedish error on stderr otherwise."""
    try:
        return await one_member(MemberRepository(session), name, member_id=member_id, include_inactive=True,
                                by_id=True)
    except NoOneMember as missing:
        print(str(missing), file=sys.stderr)
        return None


def _paths(output: str | None, member: Member) -> tuple[Path, Path]:
    """``-o DIR`` (or nothing: here) gets registerutdrag-medlem-ID.json and .html; ``-o FIL.json``/``.html``
    names both files."""
    target = Path(output) if output else Path(".")
    if target.suffix.lower() in (".json", ".html") and not target.is_dir():
        base = target.with_suffix("")
    else:
        base = target / f"registerutdrag-medlem-{member.id}"
    return base.with_suffix(".json"), base.with_suffix(".html")


def _counts(document: dict[str, Any]) -> dict[str, int]:
    return {key: len(value) for key, value in document.items() if isinstance(value, list)}


# --- the document -----------------------------------------------------------------------------------------

def subject_document(records: SubjectRecords, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """Everything in ``records`` as plain JSON values; other members' names are replaced."""

    def moment(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else None

    def day(value) -> str | None:
        return value.isoformat() if value else None

    def other(value: str | None) -> str | None:
        return OTHER_MEMBER if value in records.other_names else value

    member = records.member

    def action(row) -> dict[str, Any]:
        return {"number": row.number, "title": row.title, "status": row.status,
                "focus_area": row.focus_area.name if row.focus_area else None,
                "responsible_party": row.responsible_party,
                "you_are_responsible": row.responsible_member_id == member.id,
                "you_created": row.created_by_member_id == member.id, "start_date": day(row.start_date),
                "due_date": day(row.due_date), "created_at": moment(row.created_at),
                "completed_at": moment(row.completed_at)}

    return {
        "generated_at": moment(now),
        "member": {
            "id": member.id, "name": member.name, "party": member.party, "role": member.role,
            "admin": member.is_admin, "access": member.access, "active": member.active,
            "settings": {"reminders_not_before": member.reminders_not_before,
                         "weekly_digest": member.weekly_digest,
                         "weekly_digest_since": moment(member.weekly_digest_since)},
            "created_at": moment(member.created_at), "updated_at": moment(member.updated_at),
        },
        "identities": [{"channel": i.channel, "user_key": i.user_key, "tenant": i.tenant_id,
                        "created_at": moment(i.created_at)} for i in records.identities],
        "observations": [{"number": o.number, "focus_area": o.focus_area.name, "kind": o.kind, "place": o.place,
                          "occurred_start": moment(o.occurred_start), "occurred_end": moment(o.occurred_end),
                          "description": o.description, "sensitive": o.sensitive, "source_party": o.source_party,
                          "author_party": o.author_party, "created_at": moment(o.created_at),
                          "undone_at": moment(o.deleted_at), "replaced_at": moment(o.replaced_at)}
                         for o in records.observations],
        "actions_created": [action(a) for a in records.actions_created],
        "actions_responsible": [action(a) for a in records.actions_responsible],
        "action_updates": [{"action": u.action.number, "kind": u.kind, "text": u.text,
                            "old_value": other(u.old_value), "new_value": other(u.new_value),
                            "created_at": moment(u.created_at)} for u in records.action_updates],
        "meeting_series": [{"forum": s.forum.name, "rule": s.rrule, "start_time": s.start_time.isoformat(),
                            "location": s.location, "created_at": moment(s.created_at)}
                           for s in records.meeting_series],
        "reminders": [{"at": moment(r.at), "text": r.text, "created_at": moment(r.created_at)}
                      for r in records.reminders],
        "conversations": [{"channel": c.channel_id, "type": c.conversation_type, "conversation": c.conversation_id,
                           "active": c.active, "created_at": moment(c.created_at),
                           "last_activity_at": moment(c.last_activity_at)} for c in records.conversations],
        "messages": [{"kind": m.kind, "state": m.state, "due_at": moment(m.due_at), "sent_at": moment(m.sent_at)}
                     for m in records.outbox],
        "audit": [{"at": moment(e.at), "action": e.action, "channel": e.channel, "subject_type": e.subject_type,
                   "subject_id": e.subject_id, "detail": e.detail} for e in records.audit],
    }
