"""The ``samverkan`` command: run the bot, chat with it in the terminal, check configuration, manage members."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import ipaddress
import logging
import sys
from pathlib import Path

from aiohttp.abc import AbstractAccessLogger

from bot.config import Settings
from bot.logging_setup import configure_logging
from domain.collaboration import ConfigError, check_file
from storage.db import is_unavailable
from storage.ownership import DatabaseInUse

log = logging.getLogger("samverkan")

PARTIES = ("kommun", "polis")
FORMATS = ("csv", "xlsx")
FORMAT_HELP = "csv eller xlsx (standard: filens ändelse, annars xlsx)"


def _format(args: argparse.Namespace) -> str:
    """The export format: as given, else the output file's ending ("-o plan.csv"), else Excel."""
    if args.format:
        return args.format
    ending = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return ending if ending in FORMATS else "xlsx"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samverkan", description="Samverkansboten: samverkan kommun–polis.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="starta boten (Teams-webhook på /api/messages, och Matrix om inställt)")
    run.add_argument("--dev", action="store_true",
                     help="utvecklingsläge: utan inloggningsuppgifter, bara på 127.0.0.1")
    run.add_argument("--host", help="adress att lyssna på (standard: HOST eller 127.0.0.1)")
    run.add_argument("--port", type=int, help="port (standard: PORT eller 3978)")

    chat = commands.add_parser("chat", help="prata med boten i terminalen som en medlem")
    chat.add_argument("--as", dest="member", required=True, help="medlemmens namn")
    chat.add_argument("--party", choices=PARTIES, help="skapa medlemmen med denna part om den saknas")
    chat.add_argument("--role", default="", help="roll för en ny medlem, t.ex. brottsförebyggande samordnare")

    config = commands.add_parser("config", help="konfiguration")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    check = config_commands.add_parser("check", help="kontrollera en samverkansfil (TOML)")
    check.add_argument("file", nargs="?", help="filen (standard: SAMVERKAN_CONFIG eller den inbyggda)")

    db = commands.add_parser("db", help="databasen")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrera databasen till aktuell version")

    members = commands.add_parser("members", help="medlemmar")
    member_commands = members.add_subparsers(dest="members_command", required=True)
    member_commands.add_parser("list", help="lista medlemmar")
    add = member_commands.add_parser("add", help="lägg till en medlem")
    add.add_argument("name")
    add.add_argument("--party", choices=PARTIES, required=True)
    add.add_argument("--role", default="")
    add.add_argument("--admin", action="store_true")
    add.add_argument("--teams-id", help="Entra-objekt-id (aadObjectId) i Teams")
    add.add_argument("--tenant", default="", help="Entra-klientorganisationens id (tenant) för --teams-id")
    add.add_argument("--matrix-id", help="Matrix-användare, t.ex. @anna:almhult.se")
    change = member_commands.add_parser("set", help="ändra en medlem: administratör, roll, part")
    change.add_argument("name")
    change.add_argument("--admin", action=argparse.BooleanOptionalAction, default=None,
                        help="gör till administratör (--no-admin: ta bort administratörsrollen)")
    change.add_argument("--role", help="ny roll, t.ex. kommunpolis (\"\" för ingen)")
    change.add_argument("--party", choices=PARTIES)
    removal = member_commands.add_parser("remove", help="ta bort en medlem (det hen skrivit finns kvar)")
    removal.add_argument("name")
    export = commands.add_parser("export", help="exportera till CSV eller Excel")
    export_commands = export.add_subparsers(dest="export_command", required=True)
    observations = export_commands.add_parser("observations", help="loggen, för den årliga uppföljningen")
    observations.add_argument("--from", dest="first", help="första dagen, t.ex. 2026-01-01 (standard: 1 januari)")
    observations.add_argument("--to", dest="last", help="sista dagen, t.ex. 2026-12-31 (standard: i dag)")
    observations.add_argument("--format", choices=FORMATS, help=FORMAT_HELP)
    observations.add_argument("--output", "-o", help="filen att skriva (standard: observationer-FRÅN-TILL.FORMAT)")
    export_actions = export_commands.add_parser("actions", help="åtgärdsplanen, i samma format som importen läser")
    export_actions.add_argument("--format", choices=FORMATS, help=FORMAT_HELP)
    export_actions.add_argument("--output", "-o", help="filen att skriva (standard: atgardsplan-DATUM.FORMAT)")
    imports = commands.add_parser("import", help="importera från CSV eller Excel")
    import_commands = imports.add_subparsers(dest="import_command", required=True)
    import_actions = import_commands.add_parser("actions", help="åtgärdsplanen; rader med nummer uppdateras")
    import_actions.add_argument("file", help="filen (.xlsx eller .csv)")
    import_actions.add_argument("--skip-bad", action="store_true",
                                help="importera de felfria raderna och hoppa över (men lista) de felaktiga")
    import_meetings = import_commands.add_parser("meetings", help="forummöten från en kalenderfil (.ics)")
    import_meetings.add_argument("file", help="kalenderfilen (.ics)")
    import_meetings.add_argument("--forum", help="forumets kod, t.ex. operativa-bra (standard: efter rubriken)")
    report = commands.add_parser("report", help="rapporter")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    follow_up = report_commands.add_parser("follow-up", help="årlig uppföljning för Strategiska BRÅ (HTML)")
    follow_up.add_argument("--year", type=int, help="året att följa upp, t.ex. 2026 (standard: i år)")
    follow_up.add_argument("--output", "-o", help="filen att skriva (standard: uppfoljning-ÅR.html)")
    manifest = commands.add_parser("manifest", help="Teams-appens paket")
    manifest_commands = manifest.add_subparsers(dest="manifest_command", required=True)
    package = manifest_commands.add_parser("build", help="bygg app-paketet (zip) att ladda upp i Teams")
    package.add_argument("--app-id", required=True, help="botens Microsoft App ID (GUID) från Azure-registreringen")
    package.add_argument("--out", "-o", default="samverkansboten.zip", help="zip-filen (standard: %(default)s)")
    package.add_argument("--version", help="appens version, höj vid varje ändring (standard: 1.0.0)")
    package.add_argument("--domain", help="botens värdnamn för validDomains, t.ex. bot.almhult.se")
    package.add_argument("--developer-name", help="utgivare (standard: Älmhults kommun)")
    package.add_argument("--website", help="utgivarens webbplats, https (standard: https://www.almhult.se)")
    package.add_argument("--privacy", help="sidan om personuppgifter, https (standard: webbplatsen)")
    package.add_argument("--terms", help="användarvillkoren, https (standard: webbplatsen)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"Fel i inställningarna: {error}", file=sys.stderr)
        return 2
    # In the console the terminal is the chat, so only warnings and errors share it.
    configure_logging(settings.log_level, terminal_chat=args.command == "chat")
    try:
        if args.command == "config":
            return config_check(Path(args.file) if args.file else settings.config_path)
        if args.command == "run":
            return run(settings, dev=args.dev, host=args.host, port=args.port)
        if args.command == "chat":
            from bot.console import chat

            return asyncio.run(chat(settings, args.member, party=args.party, role=args.role))
        if args.command == "db":
            return asyncio.run(db_upgrade(settings))
        if args.command == "export" and args.export_command == "actions":
            from admin.action_files import export_actions

            return asyncio.run(export_actions(settings, fmt=_format(args), output=args.output))
        if args.command == "import" and args.import_command == "meetings":
            from admin.calendar_import import import_meetings

            return asyncio.run(import_meetings(settings, args.file, forum=args.forum))
        if args.command == "import":
            from admin.action_files import import_actions

            return asyncio.run(import_actions(settings, args.file, skip_bad=args.skip_bad))
        if args.command == "export":
            from admin.export import export_observations

            return asyncio.run(export_observations(settings, first=args.first, last=args.last, fmt=_format(args),
                                                   output=args.output))
        if args.command == "report":
            from admin.reports import write_follow_up

            return asyncio.run(write_follow_up(settings, year=args.year, output=args.output))
        if args.command == "manifest":
            return manifest_build(args)
        if args.command == "members":
            from admin import members as member_admin

            if args.members_command == "list":
                return asyncio.run(member_admin.list_members(settings))
            if args.members_command == "set":
                return asyncio.run(member_admin.set_member(settings, args.name, admin=args.admin, role=args.role,
                                                           party=args.party))
            if args.members_command == "remove":
                return asyncio.run(member_admin.remove(settings, args.name))
            return asyncio.run(member_admin.add_member(
                settings, args.name, party=args.party, role=args.role, admin=args.admin,
                teams_id=args.teams_id, tenant=args.tenant, matrix_id=args.matrix_id))
    except ConfigError as error:
        print(f"Fel i konfigurationen:\n{error}", file=sys.stderr)
        return 2
    except DatabaseInUse as error:
        print(f"Databasen {error} används redan av en annan 'samverkan run'. Stoppa den först, eller använd "
              "PostgreSQL (DATABASE_URL) för flera samtidiga processer.", file=sys.stderr)
        return 2
    except Exception as error:
        if not is_unavailable(error):
            raise
        print("Databasen svarar inte. Kontrollera DATABASE_URL och att databasservern är igång, "
              "och försök igen.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def config_check(path: Path) -> int:
    problems = check_file(path)
    if not problems:
        print(f"{path}: OK")
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} fel i {path}", file=sys.stderr)
    return 1


MANIFEST_DIR = Path(__file__).resolve().parents[1] / "manifest"


def manifest_build(args: argparse.Namespace, folder: Path = MANIFEST_DIR) -> int:
    """Build the Teams app package with manifest/build.py, found beside bot/ in the checkout.

    manifest/ is deployment tooling, not part of the installed wheel, so it is loaded by path (an editable
    install does not put the repository root on sys.path, and a bare ``manifest`` module name could collide).
    """
    script = folder / "build.py"
    if not script.is_file():
        print(f"Hittar inte {script}. App-paketet byggs från Samverkansbotens källkod (mappen manifest/ bredvid "
              "bot/), inte från ett installerat paket: kör kommandot från en utcheckning av källkoden.",
              file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("samverkan_manifest_build", script)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    given = {"version": args.version, "developer_name": args.developer_name, "website": args.website,
             "privacy": args.privacy, "terms": args.terms, "domain": args.domain}
    try:
        path = builder.build_package(args.app_id, Path(args.out), **{k: v for k, v in given.items() if v is not None})
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Kunde inte skriva {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(builder.summary(path))
    return 0


async def db_upgrade(settings: Settings) -> int:
    from storage import Database

    database = Database(settings.database_url)
    try:
        await database.upgrade()
    finally:
        await database.dispose()
    print("Databasen är migrerad till aktuell version.")
    return 0


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access lines without query strings: a calendar address carries its secret token there."""

    def log(self, request, response, time: float) -> None:
        self.logger.info("%s %s %s %d %.1f ms", request.remote, request.method, request.path, response.status,
                         time * 1000)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(settings: Settings, *, dev: bool, host: str | None, port: int | None) -> int:
    from aiohttp import web

    from bot.app import create_app
    from bot.runtime import build_runtime

    host = host or settings.host
    port = port or settings.port
    # Teams when it has credentials (or --dev), Matrix when MATRIX_HOMESERVER is set; the scheduler always.
    teams = settings.has_credentials or dev
    if not settings.has_credentials:
        if not dev and not settings.has_matrix:
            print("MicrosoftAppId och MicrosoftAppPassword saknas. Ange dem (se README) eller starta med "
                  "--dev för att köra lokalt utan inloggning.", file=sys.stderr)
            return 2
        if not dev:
            log.info("no Teams credentials: running Matrix only (no /api/messages)")
        elif not _is_loopback(host):
            print(f"--dev utan inloggningsuppgifter lyssnar bara på loopback, inte {host}.", file=sys.stderr)
            return 2
        else:
            log.warning("development mode: requests to /api/messages are not authenticated")

    async def app_factory() -> web.Application:
        return create_app(await build_runtime(settings, serving=True), schedule=True, teams=teams,
                          matrix=settings.has_matrix)

    log.info("Samverkansboten listening on http://%s:%d%s (database: %s)%s", host, port,
             "/api/messages" if teams else "", settings.database_url.split("://")[0],
             f"; Matrix as {settings.matrix_user_id} on {settings.matrix_homeserver}" if settings.has_matrix else "")
    web.run_app(app_factory(), host=host, port=port, print=None, access_log_class=PathOnlyAccessLogger)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
