"""``samverkan retention``: retention (gallring) by the decision in the collaboration file.

``--dry-run`` prints, per kind of record, how many would go and from which day records are kept, changing
nothing; without it the records are removed and ``retention.applied`` is audited. Without a decision nothing
is deleted. The texts here are also what the scheduler sends the admins (bot/scheduler.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.collaboration import load_collaboration
from services import retention
from services.retention import RetentionReport
from services.unit_of_work import Actor, UnitOfWork
from storage.db import migrated_database

if TYPE_CHECKING:
    from bot.config import Settings  # the caller's configuration: only its fields are read

# kind -> (one, many)
KIND_NAMES = {"observations": ("observation (med alla versioner)", "observationer (med alla versioner)"),
              "audit_log": ("post i granskningsloggen", "poster i granskningsloggen")}

NO_DECISION_TEXT = ("Det finns inget gallringsbeslut i samverkansfilen, så jag gallrar ingenting: observationer "
                    "och granskningsloggen sparas tills vidare. När kommunen har beslutat om gallring skrivs "
                    "beslutet in under [retention] i samverkansfilen (se README, avsnittet Gallring).")


def kind_lines(report: RetentionReport) -> list[str]:
    lines = []
    for kind in report.kinds:
        one, many = KIND_NAMES.get(kind.kind, (kind.kind, kind.kind))
        verb = "gallras" if report.applied else "skulle gallras"
        lines.append(f"- {kind.records} {one if kind.records == 1 else many} {verb}: äldre än {kind.months} "
                     f"månader, det vill säga från före {kind.kept_from.isoformat()}.")
    return lines


def report_text(report: RetentionReport) -> str:
    head = (f"Gallring enligt {report.decision}." if report.applied
            else f"Förhandsvisning av gallring enligt {report.decision} (inget ändras):")
    return "\n".join([head, *kind_lines(report), "Åtgärder och löften gallras inte."])


def preview_notice_text(report: RetentionReport) -> str:
    """The admins' message before a decision is applied the first time."""
    return "\n".join([
        f"Gallringsbeslutet {report.decision} står nu i samverkansfilen. Från och med i morgon gallrar jag "
        "varje dag det som är äldre än beslutet anger. I dag skulle detta gallras:",
        *kind_lines(report),
        "Åtgärder och löften gallras inte. Stämmer det inte, ändra eller ta bort [retention] i samverkansfilen "
        "före i morgon."])


async def run_retention(settings: Settings, *, dry_run: bool, now: datetime | None = None) -> int:
    collaboration = load_collaboration(settings.config_path)
    decision = collaboration.retention
    if decision is None:
        print(NO_DECISION_TEXT)
        return 0
    now = now or datetime.now(ZoneInfo(collaboration.timezone))
    async with migrated_database(settings.database_url) as database:
        async with UnitOfWork(database, Actor(None, "cli", now, name="cli"), zone=collaboration.timezone) as uow:
            report = await (retention.preview(uow, decision) if dry_run else retention.apply(uow, decision))
    print(report_text(report))
    return 0
