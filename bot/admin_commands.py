"""The admin tools' rows in the ``samverkan`` command table: members, export, import, gdpr, report,
retention, audit.

Each handler turns the parsed arguments into a call to the tool in ``admin/`` (admin.members, admin.export,
admin.action_files, admin.calendar_import, admin.gdpr, admin.reports, admin.retention, admin.audit), which knows
nothing of the command line; bot/cli.py builds the parser and dispatches.
Tools are imported when run, so ``samverkan run`` does not load spreadsheet and report libraries.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.commands import Command
from bot.config import Settings
from domain.collaboration.model import PARTY_CODES
from domain.vocabulary import Access

PARTIES = PARTY_CODES
ACCESS_LEVELS = tuple(level.value for level in Access)
FORMATS = ("csv", "xlsx")
FORMAT_HELP = "csv eller xlsx (standard: filens ändelse, annars xlsx)"


def export_format(args: argparse.Namespace) -> str:
    """The export format: as given, else the output file's ending ("-o plan.csv"), else Excel."""
    if args.format:
        return args.format
    ending = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return ending if ending in FORMATS else "xlsx"


# --- members --------------------------------------------------------------------------------------------

def _members_list(args: argparse.Namespace, settings: Settings) -> int:
    from admin import members

    return asyncio.run(members.list_members(settings))


def _member_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name")
    parser.add_argument("--party", choices=PARTIES, required=True)
    parser.add_argument("--role", default="")
    parser.add_argument("--admin", action="store_true")
    parser.add_argument("--teams-id", help="Entra-objekt-id (aadObjectId) i Teams")
    parser.add_argument("--tenant", default="", help="Entra-klientorganisationens id (tenant) för --teams-id")
    parser.add_argument("--matrix-id", help="Matrix-användare, t.ex. @anna:almhult.se")


def _member_add(args: argparse.Namespace, settings: Settings) -> int:
    from admin import members

    return asyncio.run(members.add_member(
        settings, args.name, party=args.party, role=args.role, admin=args.admin,
        teams_id=args.teams_id, tenant=args.tenant, matrix_id=args.matrix_id))


def _member_set_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name")
    parser.add_argument("--admin", action=argparse.BooleanOptionalAction, default=None,
                        help="gör till administratör (--no-admin: ta bort administratörsrollen)")
    parser.add_argument("--role", help="ny roll, t.ex. kommunpolis (\"\" för ingen)")
    parser.add_argument("--party", choices=PARTIES)
    parser.add_argument("--access", choices=ACCESS_LEVELS,
                        help="member: allt; reader (läsare): lägesbild och åtgärdsplan, ändrar inget; "
                             "reporter (rapportör): loggar och ser sina egna observationer")


def _member_set(args: argparse.Namespace, settings: Settings) -> int:
    from admin import members

    return asyncio.run(members.set_member(settings, args.name, admin=args.admin, role=args.role, party=args.party,
                                                access=args.access))


def _name_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name")


def _member_remove(args: argparse.Namespace, settings: Settings) -> int:
    from admin import members

    return asyncio.run(members.remove(settings, args.name))


# --- export and import ----------------------------------------------------------------------------------

def _export_observations_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", help="första dagen, t.ex. 2026-01-01 (standard: 1 januari)")
    parser.add_argument("--to", dest="last", help="sista dagen, t.ex. 2026-12-31 (standard: i dag)")
    parser.add_argument("--format", choices=FORMATS, help=FORMAT_HELP)
    parser.add_argument("--output", "-o", help="filen att skriva (standard: observationer-FRÅN-TILL.FORMAT)")


def _export_observations(args: argparse.Namespace, settings: Settings) -> int:
    from admin.export import export_observations

    return asyncio.run(export_observations(settings, first=args.first, last=args.last, fmt=export_format(args),
                                           output=args.output))


def _export_actions_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, help=FORMAT_HELP)
    parser.add_argument("--output", "-o", help="filen att skriva (standard: atgardsplan-DATUM.FORMAT)")


def _export_actions(args: argparse.Namespace, settings: Settings) -> int:
    from admin.action_files import export_actions

    return asyncio.run(export_actions(settings, fmt=export_format(args), output=args.output))


def _import_actions_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="filen (.xlsx eller .csv)")
    parser.add_argument("--skip-bad", action="store_true",
                        help="importera de felfria raderna och hoppa över (men lista) de felaktiga")


def _import_actions(args: argparse.Namespace, settings: Settings) -> int:
    from admin.action_files import import_actions

    return asyncio.run(import_actions(settings, args.file, skip_bad=args.skip_bad))


def _import_meetings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="kalenderfilen (.ics)")
    parser.add_argument("--forum", help="forumets kod, t.ex. operativa-bra (standard: efter rubriken)")


def _import_meetings(args: argparse.Namespace, settings: Settings) -> int:
    from admin.calendar_import import import_meetings

    return asyncio.run(import_meetings(settings, args.file, forum=args.forum))


# --- a data subject's requests --------------------------------------------------------------------------

def _subject_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--member", help="medlemmens namn, som i samverkan members list")
    which.add_argument("--id", type=int, help="medlemmens id, när två medlemmar heter likadant")


def _gdpr_export_arguments(parser: argparse.ArgumentParser) -> None:
    _subject_arguments(parser)
    parser.add_argument("--output", "-o", help="en mapp, eller FIL.json/FIL.html (standard: "
                                               "registerutdrag-medlem-ID.json och .html här)")


def _gdpr_export(args: argparse.Namespace, settings: Settings) -> int:
    from admin.gdpr import export_subject

    return asyncio.run(export_subject(settings, name=args.member, member_id=args.id, output=args.output))


def _gdpr_erase_arguments(parser: argparse.ArgumentParser) -> None:
    _subject_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="radera på riktigt (utan: visa bara vad som skulle hända)")


def _gdpr_erase(args: argparse.Namespace, settings: Settings) -> int:
    from admin.gdpr import erase_subject

    return asyncio.run(erase_subject(settings, name=args.member, member_id=args.id, yes=args.yes))


# --- reports --------------------------------------------------------------------------------------------

def _follow_up_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="året att följa upp, t.ex. 2026 (standard: i år)")
    parser.add_argument("--output", "-o", help="filen att skriva (standard: uppfoljning-ÅR.html)")


def _follow_up(args: argparse.Namespace, settings: Settings) -> int:
    from admin.reports import write_follow_up

    return asyncio.run(write_follow_up(settings, year=args.year, output=args.output))


# --- retention ------------------------------------------------------------------------------------------

def _retention_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="visa vad som skulle gallras och från vilket datum, utan att ändra något")


def _retention(args: argparse.Namespace, settings: Settings) -> int:
    from admin.retention import run_retention

    return asyncio.run(run_retention(settings, dry_run=args.dry_run))


# --- audit ----------------------------------------------------------------------------------------------

AUDIT_FORMATS = ("csv", "text")


def audit_format(args: argparse.Namespace) -> str:
    """As given, else CSV for an output file ending in .csv ("-o logg.csv"), else text."""
    if args.format:
        return args.format
    return "csv" if args.output and Path(args.output).suffix.lower() == ".csv" else "text"


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--member", help="bara det medlemmen gjort (hela namnet, även borttagna medlemmar)")
    parser.add_argument("--from", dest="first", help="första dagen, ÅÅÅÅ-MM-DD (standard: loggens början)")
    parser.add_argument("--to", dest="last", help="sista dagen, ÅÅÅÅ-MM-DD (standard: i dag)")
    parser.add_argument("--action", help="händelser som börjar så, t.ex. observation eller access.denied")
    parser.add_argument("--format", choices=AUDIT_FORMATS,
                        help="csv eller text (standard: csv om filen slutar på .csv, annars text)")
    parser.add_argument("--output", "-o", help="filen att skriva (standard: text i terminalen, "
                                               "CSV till granskningslogg-DATUM.csv)")


def _audit(args: argparse.Namespace, settings: Settings) -> int:
    from admin.audit import export_audit

    return asyncio.run(export_audit(settings, member=args.member, first=args.first, last=args.last,
                                    action=args.action, fmt=audit_format(args), output=args.output))


ADMIN_COMMANDS = (
    Command("members", "medlemmar", subcommands=(
        Command("list", "lista medlemmar", handle=_members_list),
        Command("add", "lägg till en medlem", _member_add_arguments, _member_add),
        Command("set", "ändra en medlem: administratör, roll, part, behörighet", _member_set_arguments, _member_set),
        Command("remove", "ta bort en medlem (det hen skrivit finns kvar)", _name_argument, _member_remove),
    )),
    Command("export", "exportera till CSV eller Excel", subcommands=(
        Command("observations", "loggen, för den årliga uppföljningen", _export_observations_arguments,
                _export_observations),
        Command("actions", "åtgärdsplanen, i samma format som importen läser", _export_actions_arguments,
                _export_actions),
    )),
    Command("import", "importera från CSV eller Excel", subcommands=(
        Command("actions", "åtgärdsplanen; rader med nummer uppdateras", _import_actions_arguments,
                _import_actions),
        Command("meetings", "forummöten från en kalenderfil (.ics)", _import_meetings_arguments,
                _import_meetings),
    )),
    Command("gdpr", "en registrerads begäran: registerutdrag och radering", subcommands=(
        Command("export", "allt boten har om en medlem, som JSON och HTML", _gdpr_export_arguments, _gdpr_export),
        Command("erase", "radera en medlem: inloggningar bort, det hen skrivit kvar under pseudonym",
                _gdpr_erase_arguments, _gdpr_erase),
    )),
    Command("report", "rapporter", subcommands=(
        Command("follow-up", "årlig uppföljning för Strategiska BRÅ (HTML)", _follow_up_arguments, _follow_up),
    )),
    Command("retention", "gallra enligt gallringsbeslutet i samverkansfilen (--dry-run: bara visa)",
            _retention_arguments, _retention),
    Command("audit", "granskningsloggen: vem läste eller ändrade vad, när och var", _audit_arguments, _audit),
)
