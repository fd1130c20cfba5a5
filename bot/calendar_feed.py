"""The feed at ``GET /calendar/{forum}.ics?token=…``: a forum's meetings for Outlook or a phone to subscribe to.

The calendar itself is built by services/calendar_feed.py; ``samverkan import meetings`` is admin/calendar_import.py.
"""

from __future__ import annotations

import hmac

from aiohttp import web

from services.calendar_feed import forum_calendar
from services.unit_of_work import Actor, UnitOfWork
from storage import is_unavailable


async def calendar_feed(request: web.Request) -> web.Response:
    """``GET /calendar/{forum}.ics?token=…``: the forum's meetings, 90 days back to 400 days ahead.

    Outlook subscribes to an address, not a login, so the address carries a secret token."""
    from bot.app import RUNTIME_KEY  # bot.app imports this module to register the route

    runtime = request.app[RUNTIME_KEY]
    token = runtime.settings.calendar_token
    if not token:
        return web.Response(status=404, text="Kalendrarna är inte påslagna. En administratör sätter "
                                             "SAMVERKAN_CALENDAR_TOKEN och delar adressen "
                                             "/calendar/FORUM.ics?token=… med medlemmarna.")
    if not hmac.compare_digest(request.query.get("token", "").encode(), token.encode()):
        # Meeting times and places of the police's and the municipality's forums are not for everyone.
        return web.Response(status=403, text="Adressen saknar rätt nyckel (?token=…). Fråga en administratör.")
    code = request.match_info["forum"]
    now = runtime.clock.now()
    try:
        actor = Actor(member_id=None, channel="calendar", now=now, name="calendar")
        async with UnitOfWork(runtime.database, actor, zone=runtime.collaboration.timezone) as uow:
            body = await forum_calendar(uow, code)
    except Exception as error:
        if not is_unavailable(error):
            raise
        return web.Response(status=503, text="Kalendern kan inte visas just nu eftersom databasen inte svarar. "
                                             "Försök igen om en stund.")
    if body is None:
        known = ", ".join(f.code for f in runtime.collaboration.forums)
        return web.Response(status=404, text=f"Det finns inget forum ”{code[:64]}”. Kalendrar finns för: "
                                             f"{known} (till exempel /calendar/operativa-bra.ics).")
    return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                        headers={"Content-Disposition": f'inline; filename="{code}.ics"',
                                 "Cache-Control": "no-cache"})
