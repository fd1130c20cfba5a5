"""The samverkan command as a user runs it: real processes, the real database file, real HTTP."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from domain.collaboration import DEFAULT_CONFIG_PATH
from tests.support import activities as teams
from tests.support.connector import RecordingConnector

ROOT = Path(__file__).resolve().parent.parent


def samverkan(*args: str, cwd: Path, stdin: str = "", env: dict[str, str] | None = None):
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)})


def test_config_check_accepts_the_default_and_names_the_wrong_line(tmp_path):
    ok = samverkan("config", "check", str(DEFAULT_CONFIG_PATH), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    broken = tmp_path / "kommun.toml"
    lines = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("police_area"))
    lines[index] = "polis_area = " + lines[index].split("=", 1)[1]
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = samverkan("config", "check", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert f"kommun.toml:{index + 1}:" in result.stderr


def test_chat_in_the_terminal_as_a_member_remembers_across_runs(tmp_path):
    first = samverkan("chat", "--as", "Anna Andersson", "--party", "kommun", cwd=tmp_path, stdin="hjälp\n")
    assert first.returncode == 0, first.stderr
    assert "Skapade medlemmen Anna Andersson" in first.stdout
    assert "Det här kan jag hjälpa till med" in first.stdout
    # A new process on the same ./data database: the open menu is remembered.
    second = samverkan("chat", "--as", "anna andersson", cwd=tmp_path, stdin="5\n")
    assert second.returncode == 0, second.stderr
    assert "Fokusområden i Samverkansöverenskommelse 2025–2026" in second.stdout
    assert (tmp_path / "data" / "samverkan.db").exists()


def test_chat_refuses_an_unknown_member_without_a_party(tmp_path):
    result = samverkan("chat", "--as", "Okänd Person", cwd=tmp_path, stdin="hjälp\n")
    assert result.returncode == 2
    assert "Det finns ingen medlem som heter" in result.stderr


def test_members_add_and_list(tmp_path):
    added = samverkan("members", "add", "Per Polis", "--party", "polis", "--role", "kommunpolis",
                      "--teams-id", "aad-per", "--tenant", teams.TENANT, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    listed = samverkan("members", "list", cwd=tmp_path)
    assert f"Per Polis, polisen, kommunpolis – Teams aad-per (organisation {teams.TENANT})" in listed.stdout
    # At the default level an admin command's output is its own: no SQL statements on stderr.
    assert "sqlalchemy" not in listed.stderr and "SELECT" not in listed.stderr


def test_members_set_makes_an_existing_member_admin_and_remove_keeps_the_last_admin(tmp_path):
    for args in (("Anna Andersson", "--party", "kommun", "--admin", "--matrix-id", "@anna:almhult.se"),
                 ("Olle Polis", "--party", "polis", "--role", "kommunpolis")):
        assert samverkan("members", "add", *args, cwd=tmp_path).returncode == 0
    again = samverkan("members", "add", "Olle Polis", "--party", "polis", "--admin", cwd=tmp_path)
    assert again.returncode == 1 and 'samverkan members set "Olle Polis"' in again.stderr
    lone = samverkan("members", "remove", "Anna Andersson", cwd=tmp_path)
    assert lone.returncode == 1
    assert "Jag kan inte ta bort Anna Andersson: hen är den enda administratören" in lone.stderr
    demote = samverkan("members", "set", "Anna Andersson", "--no-admin", cwd=tmp_path)
    assert demote.returncode == 1 and "den enda administratören" in demote.stderr

    promoted = samverkan("members", "set", "olle polis", "--admin", "--role", "lokalpolis", cwd=tmp_path)
    assert promoted.returncode == 0, promoted.stderr
    assert promoted.stdout.startswith("Olle Polis: administratör, roll lokalpolis.")
    listed = samverkan("members", "list", cwd=tmp_path).stdout
    assert "Anna Andersson, kommunen, administratör – Matrix @anna:almhult.se" in listed
    assert "Olle Polis, polisen, lokalpolis, administratör – inga inloggningar kopplade" in listed

    removed = samverkan("members", "remove", "Anna Andersson", cwd=tmp_path)  # now another admin remains
    assert removed.returncode == 0, removed.stderr
    shut_out = samverkan("chat", "--as", "Anna Andersson", "--party", "kommun", cwd=tmp_path, stdin="hjälp\n")
    assert shut_out.returncode == 2 and "Anna Andersson är borttagen som medlem" in shut_out.stderr
    assert "Anna Andersson" not in samverkan("members", "list", cwd=tmp_path).stdout
    back = samverkan("members", "add", "Anna Andersson", "--party", "kommun", cwd=tmp_path)
    assert back.stdout.startswith("Lade till Anna Andersson igen (kommun).")
    assert "Anna Andersson, kommunen – Matrix @anna:almhult.se" in samverkan("members", "list", cwd=tmp_path).stdout
    unknown = samverkan("members", "set", "Ingen Alls", "--admin", cwd=tmp_path)
    assert unknown.returncode == 1 and "Det finns ingen medlem som heter 'Ingen Alls'" in unknown.stderr


def test_run_refuses_without_credentials_unless_dev(tmp_path):
    result = samverkan("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "--dev" in result.stderr
    exposed = samverkan("run", "--dev", "--host", "0.0.0.0", cwd=tmp_path)
    assert exposed.returncode == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_make_run_command_serves_the_webhook_on_sqlite(tmp_path):
    assert samverkan("members", "add", "Anna Andersson", "--party", "kommun", "--teams-id", "aad-anna",
                     "--tenant", teams.TENANT, cwd=tmp_path).returncode == 0
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--dev", cwd=tmp_path,
        env={**os.environ, "PORT": str(port), "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    connector = RecordingConnector()
    await connector.start()
    try:
        async with aiohttp.ClientSession() as http:
            # Start-up imports the whole bot: on a loaded two-core machine that can take longer than ten seconds.
            for _ in range(1200):
                assert process.returncode is None, "samverkan run exited during start-up"
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
            async with http.post(f"http://127.0.0.1:{port}/api/messages",
                                 json=teams.message("hjälp", connector.url)) as response:
                assert response.status == 200
        assert "Det här kan jag hjälpa till med" in connector.sent[0].text
    finally:
        process.terminate()
        await process.wait()
        await connector.stop()


def test_a_database_that_does_not_answer_gets_a_swedish_message_not_a_traceback(tmp_path):
    result = samverkan("members", "list", cwd=tmp_path,
                       env={"DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"})
    assert result.returncode == 2
    assert "Databasen svarar inte" in result.stderr
    assert "Traceback" not in result.stderr


def test_log_in_the_terminal_then_export_csv_and_xlsx(tmp_path):
    """The console end to end in a real process, then the export for the yearly follow-up."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from admin.spreadsheets import read_table

    chat = samverkan("chat", "--as", "Anna Andersson", "--party", "kommun", cwd=tmp_path,
                     stdin="logga skadegörelse på Haganässkolan igår kväll\nja\n"
                           "logga\nANDTS\nnu\nDiö torg\nSnusförsäljning till unga vid kiosken\n2\n1\nja\n"
                           "logga klotter på Elmeskolan förra veckan\nja\n")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.count("Sparat som #O") == 3, chat.stdout
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()  # the collaboration's day, not the machine's
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"logg.{fmt}"
        given = ["--format", fmt] if fmt == "xlsx" else []  # "-o logg.csv" alone writes CSV
        result = samverkan("export", "observations", "--from", f"{today.year - 1}-01-01", "--to",
                           today.isoformat(), *given, "--output", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Skrev 3 observationer" in result.stdout
        headers, rows = read_table(out)
        assert headers[:4] == ["Nummer", "Fokusområde", "Typ", "Plats"]
        by_number = {str(row.values[0]): row.values for row in rows}
        assert by_number["1"][1:4] == ["Skadegörelser i skolmiljö", "händelse", "Haganässkolan"]
        assert by_number["2"][1:4] == ["ANDTS", "iakttagelse", "Diö torg"]
        assert by_number["2"][6] == "Snusförsäljning till unga vid kiosken"
        evening = today - timedelta(days=1)  # "igår kväll" is read to its last minute, not the next midnight
        assert [str(v)[:16] for v in by_number["1"][4:6]] == [f"{evening} 18:00", f"{evening} 23:59"]
        monday = today - timedelta(days=today.weekday() + 7)  # a week is its days, the last one included
        assert [str(v)[:10] for v in by_number["3"][4:6]] == [str(monday), str(monday + timedelta(days=6))]
        assert by_number["2"][8:10] == ["Anna Andersson", "Älmhults kommun"]
    bad = samverkan("export", "observations", "--from", "den trettionde februari", cwd=tmp_path)
    assert bad.returncode == 2 and "förstår jag inte" in bad.stderr


def test_access_log_lines_leave_out_query_strings(caplog):
    """A calendar address carries its secret in the query: the access log must not write it down."""
    import logging

    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from bot.cli import PathOnlyAccessLogger

    caplog.set_level(logging.INFO, logger="test.access")
    logger = PathOnlyAccessLogger(logging.getLogger("test.access"), "")
    request = make_mocked_request("GET", "/calendar/operativa-bra.ics?token=hemlig")
    logger.log(request, web.Response(status=200), 0.0123)
    assert "/calendar/operativa-bra.ics" in caplog.text and "hemlig" not in caplog.text
