"""The ``samverkan`` command: run the bot, chat with it in the terminal, check configuration, build the app.

Every command is a row in ``COMMANDS`` (bot.commands.Command): the parser, its help and the dispatch come
from the table. The admin tools (members, export, import, report) bring their rows from bot/admin_commands.py.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import ipaddress
import logging
import sys
from pathlib import Path

from aiohttp.abc import AbstractAccessLogger

from bot.admin_commands import ADMIN_COMMANDS
from bot.commands import Command, add_commands
from bot.config import Settings
from bot.logging_setup import configure_logging
from domain.collaboration import ConfigError, check_file
from domain.collaboration.model import PARTY_CODES
from storage.db import is_unavailable
from storage.ownership import DatabaseInUse

log = logging.getLogger("samverkan")


def _chat_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="member", required=True, help="medlemmens namn")
    parser.add_argument("--party", choices=PARTY_CODES, help="skapa medlemmen med denna part om den saknas")
    parser.add_argument("--role", default="", help="roll för en ny medlem, t.ex. brottsförebyggande samordnare")


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import chat

    return asyncio.run(chat(settings, args.member, party=args.party, role=args.role))


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dev", action="store_true",
                        help="utvecklingsläge: utan inloggningsuppgifter, bara på 127.0.0.1")
    parser.add_argument("--host", help="adress att lyssna på (standard: HOST eller 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (standard: PORT eller 3978)")


def _run(args: argparse.Namespace, settings: Settings) -> int:
    return run(settings, dev=args.dev, host=args.host, port=args.port)


def _config_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="filen (standard: SAMVERKAN_CONFIG eller den inbyggda)")


def _config_check(args: argparse.Namespace, settings: Settings) -> int:
    return config_check(Path(args.file) if args.file else settings.config_path)


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(db_upgrade(settings))


def _manifest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--app-id", required=True, help="botens Microsoft App ID (GUID) från Azure-registreringen")
    parser.add_argument("--out", "-o", default="samverkansboten.zip", help="zip-filen (standard: %(default)s)")
    parser.add_argument("--version", help="appens version, höj vid varje ändring (standard: 1.0.0)")
    parser.add_argument("--domain", help="botens värdnamn för validDomains, t.ex. bot.almhult.se")
    parser.add_argument("--developer-name", help="utgivare (standard: Älmhults kommun)")
    parser.add_argument("--website", help="utgivarens webbplats, https (standard: https://www.almhult.se)")
    parser.add_argument("--privacy", help="sidan om personuppgifter, https (standard: webbplatsen)")
    parser.add_argument("--terms", help="användarvillkoren, https (standard: webbplatsen)")


def _manifest_build(args: argparse.Namespace, settings: Settings) -> int:
    return manifest_build(args)


# The process commands here, the admin tools' rows from bot/admin_commands.py; the order is the help's.
COMMANDS: tuple[Command, ...] = (
    Command("run", "starta boten (Teams-webhook på /api/messages, och Matrix om inställt)", _run_arguments, _run),
    Command("chat", "prata med boten i terminalen som en medlem", _chat_arguments, _chat),
    Command("config", "konfiguration", subcommands=(
        Command("check", "kontrollera en samverkansfil (TOML)", _config_check_arguments, _config_check),
    )),
    Command("db", "databasen", subcommands=(
        Command("upgrade", "migrera databasen till aktuell version", handle=_db_upgrade),
    )),
    *ADMIN_COMMANDS,
    Command("manifest", "Teams-appens paket", subcommands=(
        Command("build", "bygg app-paketet (zip) att ladda upp i Teams", _manifest_arguments, _manifest_build),
    )),
)


def _parser(commands: tuple[Command, ...] = COMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samverkan", description="Samverkansboten: samverkan kommun–polis.")
    add_commands(parser, commands)
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
        return args.handle(args, settings)
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
