"""What a member's last change was, said in Swedish, and how it is undone, for "ångra".

Each kind of change the audit log records gets a ``Plan``: the words for "Vill du ångra att du …?", a reason
it cannot be undone (too old, someone else changed the item since, already undone another way, or a kind
"ångra" does not step back), and the undo itself, which works in the caller's unit of work and returns the
reply (``services.undo`` runs it, audits it and commits).
An undo never deletes: a new observation is marked removed (restorable), a correction gets a new version
with the earlier values, an action gets a history entry back to what it was.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.format import long_date, short_date
from dialogs.observation_draft import FIELD_NAMES, KIND_NAMES, when_text
from dialogs.observation_history import as_draft, summary
from dialogs.render.actions import owner_text
from domain.rules.actions import PARTY_NAMES, STATUS_NAMES
from domain.rules.changes import UNDO_WINDOW_TEXT, may_still_undo
from domain.rules.detail import DetailLevel
from domain.situation import Situation
from services.observations import CORRECTED_COLUMNS
from services.undo import Plan
from services.unit_of_work import UnitOfWork
from storage.actions import responsible_label
from storage.changes import ChangeLog
from storage.models import Action, ActionStatus, AuditEntry, Observation
from storage.observations import draft_of

__all__ = ["Plan", "plan_for"]


# Changes "ångra" does not step back, with what to do instead.
_OTHER = {
    "reminder.created": ("bad om en påminnelse", "ta bort den med till exempel ”ta bort påminnelsen om rektorn” "
                                                  "(”mina påminnelser” visar dem)"),
    "reminder.cancelled": ("tog bort en påminnelse", "be om den igen med ”påminn mig …”"),
    "member.settings": ("ändrade dina inställningar för påminnelser",
                        "ändra dem igen, till exempel ”inga påminnelser före kl 9” eller ”veckosammanfattning av”"),
    "meeting.scheduled": ("lade in ett möte", "ändra det igen, till exempel ”ställ in operativa BRÅ 22/12”"),
    "meeting_series.scheduled": ("lade in en mötesserie", "ändra den igen med en ny mötestid"),
    "meeting.moved": ("flyttade ett möte", "flytta det igen, till exempel ”nästa operativa BRÅ är tisdag 8/12 kl "
                                           "13”"),
    "meeting.cancelled": ("ställde in ett möte", "lägg in det igen, till exempel ”nästa operativa BRÅ är tisdag "
                                                 "8/12 kl 13”"),
    "channel.bound": ("kopplade en kanal till ett forum", "skriv ”koppla bort” i kanalen"),
    "channel.unbound": ("kopplade bort en kanal från ett forum",
                        "koppla den igen med ”koppla den här kanalen till …” i kanalen"),
    "member.added": ("lade till en medlem", "be en administratör om hjälp"),
}


async def plan_for(uow: UnitOfWork, changes: ChangeLog, entry: AuditEntry, situation: Situation,
                   detail: DetailLevel = DetailLevel.FULL) -> Plan:
    """The plan for undoing ``entry``, the asker's own last change; in a channel at the ``summary`` detail level
    an observation is named without its text and place."""
    if entry.action in _OTHER:
        what, instead = _OTHER[entry.action]
        return Plan(f"att du {what}", problem=f"Din senaste ändring var att du {what}. Den kan jag inte ångra med "
                                              f"”ångra”; {instead}.")
    if entry.subject_type == "observation":
        plan = await _observation(uow, changes, entry, situation, detail)
        instead = f"Rätta den i stället, till exempel ”ändra #{entry.subject_id} plats till …” – rättelsen sparas " \
                  "som historik."
    else:
        plan = await _action(uow, changes, entry, situation)
        instead = f"Ändra åtgärden i stället, till exempel ”skjut upp #{entry.subject_id} till fredag”."
    if plan.problem is None and not may_still_undo(entry.at, situation.now):
        plan.problem = (f"Din senaste ändring, {plan.what}, gjordes för mer än {UNDO_WINDOW_TEXT} sedan och kan "
                        f"inte ångras längre. {instead}")
    return plan


# --- observations ------------------------------------------------------------------------------------

async def _observation(uow: UnitOfWork, changes: ChangeLog, entry: AuditEntry, situation: Situation,
                       detail: DetailLevel) -> Plan:
    repo = uow.observations
    number = int(str(entry.subject_id).removeprefix("O"))
    versions = await repo.history(number)
    version_id = (entry.detail or {}).get("version")
    mine = next((v for v in versions if v.id == version_id), None)
    if mine is None:
        return Plan(f"en ändring av #O{number}", problem=f"Din senaste ändring av #O{number} kan jag inte ångra. "
                                                         f"Se ”visa #O{number}” och rätta den om det behövs.")
    current = versions[-1]
    member_id = situation.asker.member_id
    author = await uow.author()

    async def remove() -> str:
        await repo.delete(current, at=situation.now)
        return (f"Ångrat: #O{number} är borttagen ur loggen och lägesbilden. Den finns kvar och kan återställas "
                f"med ”återställ #O{number}”.")

    async def restore() -> str:
        await repo.restore(current)
        return f"Ångrat: #O{number} finns åter i loggen och lägesbilden: {summary(current, situation, detail)}"

    if entry.action == "observation.created":
        plan = Plan(f"att du loggade {summary(current, situation, detail)}", undo=remove)
    elif entry.action == "observation.corrected":
        field = (entry.detail or {}).get("field")
        earlier = next((v for v in versions if v.id == mine.supersedes_id), None)
        if field not in CORRECTED_COLUMNS or earlier is None:
            return Plan(f"en rättelse av #O{number}", problem=f"Din rättelse av #O{number} kan jag inte ångra. "
                                                             f"Rätta den igen med ”ändra #O{number} …”.")
        before, after = _field_value(earlier, field, situation, detail), _field_value(mine, field, situation, detail)

        async def put_back() -> str:
            values = draft_of(earlier)
            changes = {key: getattr(values, key) for key in CORRECTED_COLUMNS[field]}
            restored = await repo.correct(current, changes, author, at=situation.now)
            return (f"Ångrat: {FIELD_NAMES[field]} på #O{number} är åter ”{before}”. "
                    f"Nu: {summary(restored, situation, detail)}\nBåda versionerna finns kvar i historiken (”visa "
                    f"#O{number}”).")

        plan = Plan(f"att du ändrade {FIELD_NAMES[field]} på #O{number} från ”{before}” till ”{after}”",
                    undo=put_back)
    elif entry.action == "observation.deleted":
        plan = Plan(f"att du tog bort {summary(current, situation, detail)}", undo=restore)
        if current.deleted_at is None:
            plan.problem = f"#O{number} är redan återställd, så det finns inget att ångra."
        return await _unless_others(plan, changes, number, mine.id, member_id)
    else:  # observation.restored
        plan = Plan(f"att du återställde {summary(current, situation, detail)}", undo=remove)
    if current.deleted_at is not None:
        plan.problem = f"#O{number} är redan borttagen, så det finns inget att ångra (”återställ #O{number}” tar " \
                       "tillbaka den)."
    return await _unless_others(plan, changes, number, mine.id, member_id)


async def _unless_others(plan: Plan, changes: ChangeLog, number: int, version_id: int, member_id: int) -> Plan:
    if await changes.observation_changed_by_others(number, version_id, member_id):  # says most
        plan.problem = (f"Någon annan har rättat #O{number} efter dig, så jag ångrar inget. Se ”visa #O{number}” "
                        "och rätta den om det behövs.")
    return plan


HIDDEN = "visas inte här"  # a place or a text in a channel at the summary detail level


def _field_value(row: Observation, field: str, situation: Situation, detail: DetailLevel = DetailLevel.FULL) -> str:
    """One field of a version as the bot shows it ("Diö torg", "ons 25 nov 18:00–24:00", "händelse")."""
    if detail is DetailLevel.SUMMARY and field in ("place", "description"):
        return HIDDEN
    if field == "focus_area":
        return row.focus_area.name
    if field == "when":
        return when_text(as_draft(row, situation), situation)
    if field == "place":
        return row.place or "ingen plats"
    if field == "kind":
        return KIND_NAMES.get(row.kind, row.kind)
    if field == "source_party":
        return situation.collaboration.party(row.source_party).name
    text = row.description
    return text if len(text) <= 60 else text[:59].rstrip() + "…"


# --- actions -----------------------------------------------------------------------------------------

async def _action(uow: UnitOfWork, changes: ChangeLog, entry: AuditEntry, situation: Situation) -> Plan:
    repo = uow.actions
    number = int(entry.subject_id)
    action = await repo.get(number)
    detail = entry.detail or {}
    if action is None:
        return Plan(f"en ändring av #{number}", problem=f"Åtgärd #{number} finns inte längre.")
    name = f"åtgärd #{number} {action.title}"
    member_id = situation.asker.member_id
    author = await uow.author()
    today = situation.today
    if entry.action == "action.commented":
        return Plan(f"att du kommenterade {name}", problem=(
            f"Din senaste ändring var en kommentar på {name}. Kommentarer ångras inte; de finns kvar i historiken. "
            f"Skriv en ny kommentar om något blev fel: ”kommentar #{number}: …”."))
    if entry.action == "action.snoozed":
        return _snooze_plan(action, name, detail, situation)
    if entry.action == "action.created":
        first = min((u.id for u in await repo.history(action)), default=0)

        async def cancel() -> str:
            await repo.set_status(action, ActionStatus.INSTALLD.value, author, at=situation.now,
                                  text="Ångrad av den som skapade den.")
            return f"Ångrat: #{number} {action.title} är inställd. Den finns kvar i historiken (”visa #{number}”)."

        plan = Plan(f"att du skapade {name}", undo=cancel)
        if action.status not in (ActionStatus.PLANERAD.value, ActionStatus.PAGAENDE.value):
            plan.problem = f"#{number} är redan {STATUS_NAMES[action.status]}, så det finns inget att ångra."
        return await _unless_changed(plan, changes, action, first, member_id)
    update = await changes.action_update(detail.get("update") or 0)
    if update is None or update.action_id != action.id:
        return Plan(f"en ändring av #{number}", problem=f"Din senaste ändring av #{number} kan jag inte ångra. "
                                                       f"Se ”visa #{number}” och ändra den om det behövs.")
    if entry.action in ("action.completed", "action.cancelled"):
        done = entry.action == "action.completed"
        old = update.old_value or ActionStatus.PLANERAD.value

        async def reopen() -> str:
            await repo.set_status(action, old, author, at=situation.now)
            return f"Ångrat: #{number} {action.title} är öppen igen ({STATUS_NAMES.get(old, old)})."

        plan = Plan(f"att du {'markerade' if done else 'ställde in'} {name}{' som klar' if done else ''}",
                    undo=reopen)
        if action.status != update.new_value:
            plan.problem = f"#{number} är inte längre {STATUS_NAMES.get(update.new_value, '')}, så det finns " \
                           "inget att ångra."
        elif done and action.deadline_code:
            plan.problem = (f"#{number} är en av överenskommelsens egna tidpunkter, och nästa tillfälle skapades "
                            "när den blev klar, så den kan jag inte öppna igen. Be en administratör om hjälp.")
    elif entry.action == "action.postponed":
        old = date.fromisoformat(update.old_value) if update.old_value else None
        new = date.fromisoformat(update.new_value) if update.new_value else None

        async def move_back() -> str:
            await repo.postpone(action, old, "Uppskjutningen ångrades.", author, at=situation.now)
            due = f"ska åter vara klar senast {long_date(old)}" if old else "har åter inget slutdatum"
            return f"Ångrat: #{number} {action.title} {due}."

        plan = Plan(f"att du sköt upp {name} från {_day(old, today)} till {_day(new, today)}", undo=move_back)
        if action.due_date != new:
            plan.problem = f"#{number} har fått ett annat slutdatum sedan dess, så jag ångrar inget."
    elif entry.action == "action.reassigned":
        party = detail.get("from_party") or action.responsible_party
        previous = await uow.members.get(detail["from_member"]) if detail.get("from_member") else None
        outside = None if previous or update.old_value == party else update.old_value

        async def give_back() -> str:
            await repo.reassign(action, party=party, member=previous, text=outside, author=author, at=situation.now)
            return f"Ångrat: #{number} {action.title}: ansvarig är åter {owner_text(action)}."

        plan = Plan(f"att du gav {name} till {_label(update.new_value)} (från {_label(update.old_value)})",
                    undo=give_back)
        if responsible_label(action) != update.new_value:
            plan.problem = f"#{number} har fått en annan ansvarig sedan dess, så jag ångrar inget."
    else:
        return Plan(f"en ändring av #{number}", problem=f"Din senaste ändring av #{number} kan jag inte ångra.")
    return await _unless_changed(plan, changes, action, update.id, member_id)


async def _unless_changed(plan: Plan, changes: ChangeLog, action: Action, update_id: int, member_id: int) -> Plan:
    if await changes.action_changed_by_others(action.id, update_id, member_id):  # says most
        plan.problem = (f"Någon annan har ändrat #{action.number} efter dig, så jag ångrar inget. Se "
                        f"”visa #{action.number}”.")
    return plan


def _snooze_plan(action: Action, name: str, detail: dict, situation: Situation) -> Plan:
    until = datetime.fromisoformat(detail["until"]) if detail.get("until") else None
    before = datetime.fromisoformat(detail["before"]) if detail.get("before") else None

    async def wake() -> str:
        action.snoozed_until = before
        if before is None or before <= situation.now:
            return f"Ångrat: påminnelserna om #{action.number} {action.title} kommer som vanligt igen."
        return f"Ångrat: inga påminnelser om #{action.number} före {_moment(before, situation)}, som tidigare."

    plan = Plan(f"att du pausade påminnelserna om {name} till {_moment(until, situation)}"
                if until else f"att du pausade påminnelserna om {name}", undo=wake)
    if until is None or action.snoozed_until != until:
        plan.problem = f"Påminnelserna om #{action.number} har ändrats sedan dess, så jag ångrar inget."
    return plan


def _day(day: date | None, today: date) -> str:
    return short_date(day, today) if day else "inget slutdatum"


def _moment(moment: datetime | None, situation: Situation) -> str:
    if moment is None:
        return "ingen tid"
    local = moment.astimezone(ZoneInfo(situation.collaboration.timezone))
    return f"{short_date(local.date(), situation.today)} kl {local:%H:%M}"


def _label(label: str | None) -> str:
    return PARTY_NAMES.get(label or "", label or "ingen")
