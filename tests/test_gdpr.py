"""A data subject's requests: the register extract and erasure, on a bot that was really used over its webhook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from admin.gdpr import erase_subject, export_subject
from domain.clock import FixedClock
from domain.collaboration import DEFAULT_CONFIG_PATH
from storage import models
from storage.situation import load_picture
from tests.support import activities as teams
from tests.support.bot_server import BotServer, add_teams_member, add_three_members, settings_for, start_bot

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
async def server(database):
    bot = await start_bot(database.url, FixedClock())
    bot.ids = await add_three_members(bot.runtime, teams.TENANT)  # Anna (the only admin), Karin, Olle
    yield bot
    await bot.stop()


async def say(server: BotServer, connector, text: str, aad: str) -> str:
    connector.clear()
    assert (await server.post(teams.message(text, connector.url, aad=aad))).status == 200
    return connector.sent[-1].text or ""


async def used(server: BotServer, connector) -> int:
    """Olle and Anna each log an observation; Olle creates an action Anna gives back to him; the number."""
    await say(server, connector, "logga klotter på Elmeskolan igår", "aad-olle")
    assert (await say(server, connector, "ja", "aad-olle")).startswith("Sparat som #O1, loggat av Olle Polis")
    await say(server, connector, "logga skadegörelse på Haganässkolan igår kväll", "aad-anna")
    assert (await say(server, connector, "ja", "aad-anna")).startswith("Sparat som #O2, loggat av Anna Andersson")
    await say(server, connector, "ny åtgärd: trygghetsvandring i centrum, polisen, senast 15/1", "aad-olle")
    created = await say(server, connector, "-", "aad-olle")  # no focus area
    assert created.startswith("Skapade #"), created
    number = int(created.removeprefix("Skapade #").split()[0])  # after the agreement's deadlines
    await say(server, connector, f"ge #{number} till polisen", "aad-anna")
    assert "Olle Polis" in await say(server, connector, f"ge #{number} till Olle Polis", "aad-anna")
    return number


async def rows(server: BotServer, model, *where) -> list:
    async with server.runtime.database.session() as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def rows_by_key(server: BotServer) -> list[str]:
    async with server.runtime.database.session() as session:
        return list(await session.scalars(select(models.BotStateRow.key)))


async def picture(server: BotServer):
    async with server.runtime.database.session() as session:
        return await load_picture(session, start=NOW - timedelta(days=30), end=NOW + timedelta(days=1),
                                  previous_start=NOW - timedelta(days=60), timezone="Europe/Stockholm")


async def test_the_extract_has_the_members_identities_observations_and_audit_and_nothing_of_anothers(
        server, connector, tmp_path, capsys):
    number = await used(server, connector)
    settings = settings_for(server.runtime.settings.database_url)
    assert await export_subject(settings, name="olle polis", member_id=None, output=str(tmp_path / "ut"),
                                now=NOW) == 0
    olle = server.ids["olle"]
    written = json.loads((tmp_path / "ut" / f"registerutdrag-medlem-{olle}.json").read_text(encoding="utf-8"))
    page = (tmp_path / "ut" / f"registerutdrag-medlem-{olle}.html").read_text(encoding="utf-8")
    assert f"registerutdrag-medlem-{olle}.json" in capsys.readouterr().out
    assert written["member"]["name"] == "Olle Polis" and written["member"]["role"] == "kommunpolis"
    assert written["identities"] == [{"channel": "msteams", "user_key": "aad-olle", "tenant": teams.TENANT,
                                      "created_at": written["identities"][0]["created_at"]}]
    [observation] = written["observations"]
    assert observation["number"] == 1 and "Elmeskolan" in observation["description"]
    assert [a["number"] for a in written["actions_created"]] == [number]
    assert [a["number"] for a in written["actions_responsible"]] == [number]
    actions = {entry["action"] for entry in written["audit"]}
    assert {"observation.created", "action.created"} <= actions
    assert "action.reassigned" not in actions  # Anna did that
    assert [c["type"] for c in written["conversations"]] == ["personal"]
    everything = json.dumps(written, ensure_ascii=False)
    for others in ("Anna", "aad-anna", "Karin", "aad-karin", "Haganässkolan"):
        assert others not in everything
        assert others not in page
    assert "Elmeskolan" in page and "aad-olle" in page and "Olle Polis" in page
    async with server.runtime.database.session() as session:
        [audited] = await session.scalars(select(models.AuditEntry).where(
            models.AuditEntry.action == "member.exported"))
    assert audited.subject_id == str(olle) and "Olle" not in json.dumps(audited.detail)


async def test_the_page_escapes_what_people_wrote_and_loads_nothing_from_elsewhere(server, connector, tmp_path):
    evil = '<script src="https://evil.example/x.js"></script>'
    async with server.runtime.database.session() as session:
        karin = await session.get(models.Member, server.ids["karin"])
        karin.role = evil
        session.add(models.PersonalReminder(member_id=karin.id, at=NOW, text="ring <b>rektorn</b> & \"skolan\""))
        await session.commit()
    settings = settings_for(server.runtime.settings.database_url)
    assert await export_subject(settings, name=None, member_id=server.ids["karin"],
                                output=str(tmp_path / "karin.html"), now=NOW) == 0
    page = (tmp_path / "karin.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script src=&quot;https://evil.example/x.js&quot;&gt;" in page
    assert "ring &lt;b&gt;rektorn&lt;/b&gt; &amp; &quot;skolan&quot;" in page
    assert "<link" not in page and "src=" not in page.replace("src=&quot;", "") and "@import" not in page
    assert json.loads((tmp_path / "karin.json").read_text(encoding="utf-8"))["member"]["role"] == evil


async def test_erasure_removes_access_and_the_name_and_keeps_the_log_counts_and_history(
        server, connector, capsys):
    number = await used(server, connector)
    settings = settings_for(server.runtime.settings.database_url)
    olle = server.ids["olle"]
    before = await picture(server)
    personal = "msteams/conversations/a:personal-aad-olle"
    assert [r for r in await rows_by_key(server) if r.startswith(personal)]  # his dialog state
    history = [(u.id, u.kind) for u in await rows(server, models.ActionUpdate)]
    authored = len(await rows(server, models.Observation, models.Observation.author_member_id == olle))

    assert await erase_subject(settings, name="Olle Polis", member_id=None, yes=False) == 0
    dry = capsys.readouterr().out
    assert "Borttagen medlem" in dry and "Inget är ändrat" in dry
    assert (await rows(server, models.Member, models.Member.id == olle))[0].name == "Olle Polis"
    assert await rows(server, models.MemberIdentity, models.MemberIdentity.member_id == olle)

    said = await say(server, connector, f"kommentar #{number}: Olle Polis bokar lokalen", "aad-anna")
    history.append(((await rows(server, models.ActionUpdate))[-1].id, "comment"))
    assert await erase_subject(settings, name="Olle Polis", member_id=None, yes=True) == 0
    out = capsys.readouterr().out
    assert "Raderade Olle Polis" in out
    assert f"nämner fortfarande namnet: #{number} (historik)" in out, said
    [member] = await rows(server, models.Member, models.Member.id == olle)
    assert (member.name, member.role, member.active, member.is_admin) == (f"Borttagen medlem {olle}", "", False, False)
    assert await rows(server, models.MemberIdentity, models.MemberIdentity.member_id == olle) == []
    assert await rows(server, models.ConversationReference, models.ConversationReference.member_id == olle) == []
    assert await picture(server) == before
    assert not [r for r in await rows_by_key(server) if r.startswith(personal)]
    assert [r for r in await rows_by_key(server) if r.startswith("msteams/conversations/a:personal-aad-anna")]
    assert [(u.id, u.kind) for u in await rows(server, models.ActionUpdate)] == history
    assert len(await rows(server, models.Observation, models.Observation.author_member_id == olle)) == authored
    [action] = await rows(server, models.Action, models.Action.number == number)
    assert (action.created_by_member_id, action.responsible_member_id) == (olle, olle)
    for update in await rows(server, models.ActionUpdate):
        assert "Olle" not in f"{update.old_value} {update.new_value}"  # free text stays as written (listed)
    audit = await rows(server, models.AuditEntry)  # append-only: not rewritten, and it never held the name
    for entry in audit:
        assert "Olle" not in (entry.actor or "")
        assert "Olle" not in json.dumps(entry.detail, ensure_ascii=False)
    [erased] = [e for e in audit if e.action == "member.erased"]
    assert erased.subject_id == str(olle) and erased.detail["identities"] == 1
    async with server.runtime.database.session() as session:
        stored = await session.scalar(select(func.count()).select_from(models.Member).where(
            models.Member.name.contains("Olle")))
    assert stored == 0

    server.runtime.clock.advance(timedelta(seconds=61))  # past a running bot's memory of known members
    refused = await say(server, connector, "vem är jag", "aad-olle")
    assert "Jag känner inte igen dig som medlem" in refused
    assert "Borttagen medlem" in await say(server, connector, f"visa #{number}", "aad-anna")


async def test_the_last_admin_and_unknown_names_are_refused_without_changes(server, capsys):
    settings = settings_for(server.runtime.settings.database_url)
    assert await erase_subject(settings, name="Anna Andersson", member_id=None, yes=True) == 1
    assert "Jag kan inte radera Anna Andersson: hen är den enda administratören" in capsys.readouterr().err
    assert await erase_subject(settings, name="Anna Andersson", member_id=None, yes=False) == 1
    assert "den enda administratören" in capsys.readouterr().err
    anna = (await rows(server, models.Member, models.Member.id == server.ids["anna"]))[0]
    assert anna.name == "Anna Andersson" and anna.active and anna.is_admin
    assert await erase_subject(settings, name="Ingen Alls", member_id=None, yes=True) == 2
    assert "Det finns ingen medlem som heter 'Ingen Alls'" in capsys.readouterr().err
    assert await export_subject(settings, name=None, member_id=999, output=None) == 2
    assert "Det finns ingen medlem med id 999" in capsys.readouterr().err
    await add_teams_member(server.runtime, "Karin Lund", "polis", "aad-karin-2", teams.TENANT)
    assert await erase_subject(settings, name="karin lund", member_id=None, yes=True) == 2
    assert "Det finns 2 medlemmar som heter 'karin lund'" in capsys.readouterr().err
    assert len(await rows(server, models.MemberIdentity, models.MemberIdentity.user_key.startswith("aad-karin"))) == 2


def samverkan(*args: str, cwd: Path, database_url: str):
    config = cwd / "samverkan.toml"
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url,
                                            "SAMVERKAN_CONFIG": str(config)})


async def test_the_samverkan_command_exports_and_erases(database, tmp_path):
    # The collaboration file lists Olle: erasing him says to take him out there too, or the bot adds him again.
    (tmp_path / "samverkan.toml").write_text(
        DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
        + '\n[[members]]\nname = "Olle Polis"\nparty = "polis"\nteams_object_id = "aad-olle"\n', encoding="utf-8")
    for args in (("Anna Andersson", "--party", "kommun", "--admin"),
                 ("Olle Polis", "--party", "polis", "--teams-id", "aad-olle", "--tenant", teams.TENANT),
                 ("Olle Polis 2", "--party", "polis")):
        assert samverkan("members", "add", *args, cwd=tmp_path, database_url=database.url).returncode == 0
    exported = samverkan("gdpr", "export", "--member", "olle polis", "-o", "utdrag.json", cwd=tmp_path,
                         database_url=database.url)
    assert exported.returncode == 0, exported.stderr
    assert json.loads((tmp_path / "utdrag.json").read_text(encoding="utf-8"))["identities"][0]["user_key"] == \
        "aad-olle"
    assert (tmp_path / "utdrag.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    unknown = samverkan("gdpr", "erase", "--member", "Ingen Alls", "--yes", cwd=tmp_path, database_url=database.url)
    assert unknown.returncode == 2 and "Det finns ingen medlem som heter" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    dry = samverkan("gdpr", "erase", "--member", "Olle Polis", cwd=tmp_path, database_url=database.url)
    assert dry.returncode == 0 and "Inget är ändrat" in dry.stdout and "står bland medlemmarna" in dry.stdout
    erased = samverkan("gdpr", "erase", "--member", "Olle Polis", "--yes", cwd=tmp_path, database_url=database.url)
    assert erased.returncode == 0, erased.stderr
    assert "Raderade Olle Polis" in erased.stdout and "står bland medlemmarna" in erased.stdout
    listed = samverkan("members", "list", cwd=tmp_path, database_url=database.url).stdout
    assert "Olle Polis 2" in listed and "Olle Polis," not in listed
    lone = samverkan("gdpr", "erase", "--member", "Anna Andersson", "--yes", cwd=tmp_path, database_url=database.url)
    assert lone.returncode == 1 and "den enda administratören" in lone.stderr and "Traceback" not in lone.stderr
