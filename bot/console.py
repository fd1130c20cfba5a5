"""``samverkan chat``: a conversation in the terminal, as a chosen member, on the bot's own database."""

from __future__ import annotations

import asyncio
import sys

from bot.channels.console import CHANNEL_ID, ConsoleAdapter, console_user_key
from bot.config import Settings
from bot.runtime import build_runtime
from bot.turn_errors import turn_error_handler
from dialogs.help import greeting
from storage import MemberRepository

EXIT_WORDS = {"hejdå", "hej då", "exit", "quit", "/quit"}


async def _console_member(runtime, name: str, party: str | None, role: str):
    async with runtime.database.session() as session:
        members = MemberRepository(session)
        found = await members.find_by_name(name)
        member = found[0] if found else None
        if member is None and await members.find_by_name(name, include_inactive=True):
            print(f"{name} är borttagen som medlem. En administratör kan lägga tillbaka hen med: samverkan members "
                  f"add \"{name}\" --party kommun|polis", file=sys.stderr)
            return None
        if member is None:
            if party is None:
                known = ", ".join(m.name for m in await members.list()) or "inga ännu"
                print(f"Det finns ingen medlem som heter {name!r} (medlemmar: {known}). "
                      "Ange --party kommun eller --party polis för att skapa den.", file=sys.stderr)
                return None
            member = await members.add(name, party, role)
            print(f"Skapade medlemmen {member.name} ({member.party}).")
        key = console_user_key(member.id)
        if await members.by_identity(CHANNEL_ID, key) is None:
            await members.add_identity(member, CHANNEL_ID, key)
        await session.commit()
        return member


async def chat(settings: Settings, name: str, *, party: str | None = None, role: str = "") -> int:
    runtime = await build_runtime(settings)
    try:
        member = await _console_member(runtime, name, party, role)
        if member is None:
            return 2
        interactive = sys.stdin.isatty()
        adapter = ConsoleAdapter(lambda text: print(f"Samverkansboten: {text}\n", flush=True),
                                 turn_error_handler(runtime.collaboration))
        if interactive:
            print(f"{greeting(runtime.collaboration)}\n(Du skriver som {member.name}. Avsluta med Ctrl-D.)\n")
        while True:
            try:
                line = await asyncio.to_thread(input, "du> " if interactive else "")
            except EOFError:
                break
            if line.strip().casefold() in EXIT_WORDS:
                break
            if not line.strip():
                continue
            await adapter.say(line, member_id=member.id, member_name=member.name, logic=runtime.bot.on_turn)
        return 0
    finally:
        await runtime.close()
