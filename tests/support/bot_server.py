"""The real bot on a loopback port: runtime, aiohttp app and site, with a recording Bot Connector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import create_app
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from domain.clock import Clock, FixedClock
from storage import MemberRepository


def settings_for(database_url: str, **env: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": database_url, **env}, env_file=None)


@dataclass
class BotServer:
    runtime: Runtime
    runner: web.AppRunner
    url: str
    http: aiohttp.ClientSession

    async def post(self, activity: Any, *, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers) as response:
            await response.read()
            return response

    async def post_raw(self, data: bytes, content_type: str = "application/json") -> aiohttp.ClientResponse:
        async with self.http.post(f"{self.url}/api/messages", data=data,
                                  headers={"Content-Type": content_type}) as response:
            await response.read()
            return response

    async def stop(self) -> None:
        await self.http.close()
        await self.runner.cleanup()


async def start_bot(database_url: str, clock: Clock | None = None, **env: str) -> BotServer:
    runtime = await build_runtime(settings_for(database_url, **env), clock or FixedClock(), serving=True)
    runner = web.AppRunner(create_app(runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return BotServer(runtime, runner, f"http://127.0.0.1:{port}", aiohttp.ClientSession())


async def add_three_members(runtime: Runtime, tenant: str) -> dict[str, int]:
    """The usual cast in Teams: Anna (kommun's admin, coordinator), Karin (kommun, fritid), Olle (kommunpolis)."""
    return {
        "anna": await add_teams_member(runtime, "Anna Andersson", "kommun", "aad-anna", tenant,
                                       role="brottsförebyggande samordnare", admin=True),
        "karin": await add_teams_member(runtime, "Karin Lund", "kommun", "aad-karin", tenant, role="fritidsledare"),
        "olle": await add_teams_member(runtime, "Olle Polis", "polis", "aad-olle", tenant, role="kommunpolis"),
    }


async def add_teams_member(runtime: Runtime, name: str, party: str, aad: str, tenant: str,
                           role: str = "", admin: bool = False, access: str = "member") -> int:
    async with runtime.database.session() as session:
        members = MemberRepository(session)
        member = await members.add(name, party, role, is_admin=admin)
        member.access = access
        await members.add_identity(member, "msteams", aad, tenant)
        await session.commit()
        return member.id
