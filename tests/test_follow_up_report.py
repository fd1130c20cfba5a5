"""The yearly follow-up report for Strategiska BRÅ, on SQLite and PostgreSQL: known data in, the HTML read back."""

from __future__ import annotations

import asyncio
import base64
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from admin.reports import gather_follow_up, render_follow_up, write_follow_up
from domain.collaboration import load_collaboration
from storage import Database, MemberRepository, sync_catalog
from storage.actions import ActionRepository, NewAction, PromiseRepository, sync_deadline_actions
from storage.models import AuditEntry
from storage.observations import ObservationDraft, ObservationRepository
from tests.support.bot_server import settings_for
from tests.test_cli import samverkan

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 in Älmhult; 2026 is still running
CREATED = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_URI = "data:image/png;base64,"
SCRIPT_TITLE = "<script>alert('x')</script> Trygghetsvandring"
VOID = {"meta", "img", "br", "hr", "link", "input"}


async def _seed(database: Database) -> None:
    """Known data around the year's edges; the expected counts are spelled out in the tests."""
    collaboration = load_collaboration()
    async with database.session() as session:
        await sync_catalog(session, collaboration.focus_areas, collaboration.forums, CREATED)
        anna = await MemberRepository(session).add("Anna Andersson", "kommun", "samordnare")
        olle = await MemberRepository(session).add("Olle Polis", "polis", "kommunpolis")
        actions = ActionRepository(session)
        promises = PromiseRepository(session)
        promise = await promises.get_or_create("Tryggare centrum på kvällstid", period_start=date(2026, 1, 1))
        await promises.get_or_create("Färre klotter på skolorna", period_start=date(2026, 1, 1))

        async def add(title: str, focus: str | None, due: date | None, *, member=None, **more):
            return await actions.add(NewAction(title, "gemensam" if member is None else member.party, due,
                                               focus_area=focus, responsible_member_id=member.id if member else None,
                                               **more), anna, at=CREATED)

        # ANDTS: 2 done in 2026 (one just after midnight on New Year, local time), 1 done in 2025,
        # 1 cancelled in 2026 and 1 in 2025, 1 open and late, 1 open on time.
        done = await add("Tillsyn av tobaksförsäljning", "andts", date(2026, 3, 31), member=anna)
        await actions.set_status(done, "klar", anna, at=datetime(2026, 3, 10, 12, tzinfo=UTC))
        new_year = await add("Nyårsvaka", "andts", date(2026, 1, 1))
        await actions.set_status(new_year, "klar", anna, at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
        old = await add("Föräldramöte om cannabis", "andts", date(2025, 6, 1))
        await actions.set_status(old, "klar", anna, at=datetime(2025, 6, 1, 12, tzinfo=UTC))
        cancelled = await add("Kampanj om langning", "andts", date(2026, 5, 1))
        await actions.set_status(cancelled, "installd", anna, at=datetime(2026, 3, 1, 12, tzinfo=UTC))
        cancelled_before = await add("Enkät om snus", "andts", date(2025, 5, 1))
        await actions.set_status(cancelled_before, "installd", anna, at=datetime(2025, 5, 1, 12, tzinfo=UTC))
        await add("Kvällsvandring vid stationen", "andts", date(2026, 11, 16), member=olle, promise_id=promise.id)
        ongoing = await add("Utbildning för butikspersonal", "andts", date(2026, 12, 15))
        await actions.set_status(ongoing, "pagaende", anna, at=CREATED)
        # Others: a user-written title with markup, the promise's done action, one without a focus area.
        await add(SCRIPT_TITLE, "fri-fran-vald", None)
        lights = await add("Belysning i parken", "trygga-unga", date(2026, 10, 1), promise_id=promise.id)
        await actions.set_status(lights, "klar", anna, at=datetime(2026, 9, 20, 12, tzinfo=UTC))
        await add("Gemensam utbildning i lägesbild", None, date(2026, 12, 1))
        # The agreement's deadlines as the scheduler keeps them; the renewal is done.
        deadline_actions = await sync_deadline_actions(session, collaboration.deadlines, date(2026, 11, 26), at=CREATED)
        renewal = next(a for a in deadline_actions if a.deadline_code == "renewal")
        await actions.set_status(renewal, "klar", anna, at=datetime(2026, 11, 20, 12, tzinfo=UTC))

        log = ObservationRepository(session)

        async def observe(focus: str, when: datetime) -> None:
            await log.add(ObservationDraft(focus, "handelse", when, None, "Något hände", "kommun"), anna, at=when)

        # ANDTS 3 in 2026 (the first is 00:30 on New Year's Day in Älmhult) and 2 in 2025: +50 %.
        for when in (datetime(2025, 12, 31, 23, 30), datetime(2026, 3, 5, 12), datetime(2026, 11, 20, 12),
                     datetime(2025, 5, 1, 12), datetime(2025, 12, 31, 21)):
            await observe("andts", when.replace(tzinfo=UTC))
        await observe("skadegorelse-skola", datetime(2026, 6, 10, 12, tzinfo=UTC))  # none before: no change
        for when in (datetime(2025, 9, 1, 12, tzinfo=UTC), datetime(2025, 9, 2, 12, tzinfo=UTC)):
            await observe("trygga-unga", when)  # none in 2026: −100 %
        await observe("andts", datetime(2024, 6, 1, 12, tzinfo=UTC))  # before both years
        undone, _ = await log.add(ObservationDraft("andts", "handelse", datetime(2026, 4, 1, 12, tzinfo=UTC), None,
                                                   "Fel loggat", "polis"), olle, at=CREATED)
        await log.delete(undone, at=CREATED)
        await session.commit()


@dataclass
class Row:
    section: str
    heading: str
    table: str
    attrs: dict[str, str | None]
    cells: list[str] = field(default_factory=list)


def _squeeze(text: str) -> str:
    """Collapse the template's line breaks and indentation, but keep the no-break spaces it means."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class ReportParser(HTMLParser):
    """Rows of every table with the section and heading they stand under, images, text; checks nesting."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.images: list[str] = []
        self.headings: list[str] = []
        self.text: dict[str, str] = {}
        self.lang: str | None = None
        self._open: list[str] = []
        self._section = self._heading = self._table = ""
        self._row: Row | None = None
        self._cell: str | None = None
        self._h3: str | None = None
        self.feed(html)
        self.close()
        assert self._open == [], f"unclosed elements: {self._open}"

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag not in VOID:
            self._open.append(tag)
        if tag == "html":
            self.lang = found.get("lang")
        elif tag == "section":
            self._section, self._heading = found.get("id") or "", ""
        elif tag == "table":
            self._table = found.get("id") or ""
        elif tag == "h3":
            self._h3 = ""
        elif tag == "tr":
            self._row = Row(self._section, self._heading, self._table, found)
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "img":
            self.images.append(found["src"])

    def handle_endtag(self, tag):
        assert self._open and self._open[-1] == tag, f"</{tag}> closes {self._open[-1:]}"
        self._open.pop()
        if tag in ("td", "th") and self._row is not None:
            self._row.cells.append(_squeeze(self._cell or ""))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = ""
        elif tag == "h3":
            self._heading = " ".join((self._h3 or "").split())
            self.headings.append(self._heading)
            self._h3 = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._h3 is not None:
            self._h3 += data
        self.text[self._section] = self.text.get(self._section, "") + data

    def section_text(self, section: str) -> str:
        return " ".join(self.text.get(section, "").split())

    def summary(self) -> dict[str, list[str]]:
        return {row.attrs["data-area"]: row.cells[1:] for row in self.rows if row.table == "summary"
                and "data-area" in row.attrs}

    def deadlines(self) -> dict[str, list[str]]:
        return {row.attrs["data-deadline"]: row.cells for row in self.rows if row.table == "deadlines"
                and "data-deadline" in row.attrs}

    def actions_under(self, section: str, heading: str) -> list[list[str]]:
        return [row.cells for row in self.rows if row.section == section and row.heading == heading
                and row.cells and row.cells[0].startswith("#")]


def _assert_embedded_pngs(parsed: ReportParser, count: int = 2) -> None:
    assert len(parsed.images) == count
    for src in parsed.images:
        assert src.startswith(DATA_URI)
        png = base64.b64decode(src.removeprefix(DATA_URI), validate=True)
        assert png.startswith(PNG_SIGNATURE)
        image = Image.open(io.BytesIO(png))
        image.load()  # decodes every chunk: a truncated PNG fails here
        assert image.format == "PNG" and image.width == 1000


def _assert_self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    lowered = html.lower()
    for outside in ("<script", "<link", "http://", "https://", "@import", "javascript:"):
        assert outside not in lowered, outside


async def test_the_report_counts_the_year_lists_the_late_and_escapes_titles(database: Database, tmp_path: Path,
                                                                             capsys):
    await _seed(database)
    path = tmp_path / "uppfoljning.html"
    assert await write_follow_up(settings_for(database.url), year=2026, output=str(path), now=NOW) == 0
    assert capsys.readouterr().out.strip() == f"Skrev uppföljningen för 2026 till {path}"
    html = path.read_text(encoding="utf-8")
    parsed = ReportParser(html)
    _assert_self_contained(html)
    assert parsed.lang == "sv"
    assert "<title>Årlig uppföljning 2026 – Samverkansöverenskommelse 2025–2026</title>" in html
    assert "Älmhults kommun och Lokalpolisområde Ljungby" in parsed.text[""]
    assert "Skapad 26 november 2026 kl. 10:00" in " ".join(parsed.text[""].split())
    assert "bedöms per i dag, 26 november 2026" in " ".join(parsed.text[""].split())

    # Done, cancelled, open, late; observations 2026, 2025, change.
    assert parsed.summary() == {
        "trygga-unga": ["1", "0", "0", "0", "0", "2", "−100\u00a0%"],
        "fri-fran-vald": ["0", "0", "1", "0", "0", "0", "–"],
        "andts": ["2", "1", "2", "1", "3", "2", "+50\u00a0%"],
        "skadegorelse-skola": ["0", "0", "0", "0", "1", "0", "–"],
        "": ["0", "0", "1", "0", "0", "0", "–"],  # without a focus area; deadline actions are not counted
        "total": ["3", "1", "4", "1", "4", "4", "±0\u00a0%"],
    }

    andts = parsed.actions_under("atgarder", "ANDTS")
    assert [cells[0] for cells in andts] == ["#2", "#1", "#4", "#6", "#7"]  # by due date
    late = next(cells for cells in andts if cells[0] == "#6")
    assert late == ["#6", "Kvällsvandring vid stationen", "Olle Polis", "2026-11-16", "Planerad", "10 dagar"]
    assert next(cells for cells in andts if cells[0] == "#4")[4] == "Inställd"
    assert next(cells for cells in andts if cells[0] == "#7")[4:] == ["Pågående", ""]
    assert "Föräldramöte om cannabis" not in html and "Enkät om snus" not in html  # closed in 2025
    assert parsed.actions_under("atgarder", "Utan fokusområde")[0][1] == "Gemensam utbildning i lägesbild"
    assert parsed.actions_under("atgarder", "Skadegörelser i skolmiljö") == []
    assert "Inga åtgärder." in parsed.section_text("atgarder")

    # The user-written title is text, not markup.
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Trygghetsvandring" in html
    assert parsed.actions_under("atgarder", "Kommun fri från våld")[0][1] == SCRIPT_TITLE

    assert "Medborgarlöfte 1: Tryggare centrum på kvällstid" in parsed.headings
    promise = parsed.actions_under("medborgarloften", "Medborgarlöfte 1: Tryggare centrum på kvällstid")
    assert [(cells[1], cells[4]) for cells in promise] == [("Belysning i parken", "Klar 2026-09-20"),
                                                           ("Kvällsvandring vid stationen", "Planerad")]
    assert promise[1][5] == "10 dagar"
    assert "1 av 2 åtgärder klara" in parsed.section_text("medborgarloften")
    assert "Inga åtgärder kopplade till löftet." in parsed.section_text("medborgarloften")

    deadlines = parsed.deadlines()
    assert set(deadlines) == {"renewal", "follow_up", "lagesbild_update"}
    assert deadlines["renewal"][0].startswith("Förlängning eller ny samverkansöverenskommelse")
    assert deadlines["renewal"][1:] == ["Strategiska BRÅ", "2026-11-30", "Nej", "Genomförd 20 november 2026 (#11)"]
    assert deadlines["follow_up"][2:] == ["2026-12-31", "Nej", "35 dagar kvar (#12, planerad)"]
    assert deadlines["lagesbild_update"][1:3] == ["–", "2026-12-31"]

    _assert_embedded_pngs(parsed)
    async with database.session() as session:
        [entry] = await session.scalars(select(AuditEntry).where(AuditEntry.action == "report.follow_up"))
        assert (entry.actor, entry.detail) == ("cli", {"year": 2026})


async def test_a_past_year_is_judged_the_day_after_it_ended(database: Database):
    await _seed(database)
    async with database.session() as session:
        report = await gather_follow_up(session, load_collaboration(), 2025, now=NOW)
    assert (report.reference, report.current_year, report.observed_until) == (date(2026, 1, 1), False,
                                                                              date(2025, 12, 31))
    andts = next(area for area in report.areas if area.code == "andts")
    # 00:30 on New Year's Day in Älmhult is 2026, though still 2025 in UTC.
    assert (andts.done, andts.cancelled, andts.observations, andts.previous_observations) == (1, 1, 2, 1)
    assert report.months == (0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 1)
    assert report.previous_months == (0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)
    follow_up = next(d for d in report.deadlines if d.code == "follow_up")
    assert (follow_up.due, follow_up.passed, follow_up.action) == (date(2025, 12, 31), True, None)
    parsed = ReportParser(render_follow_up(report))
    assert parsed.deadlines()["follow_up"][2:] == ["2025-12-31", "Ja", "Passerad, inte genomförd"]
    assert "dagen efter årets slut" in " ".join(parsed.text[""].split())


async def test_an_empty_database_gives_a_valid_report(database: Database):
    async with database.session() as session:
        report = await gather_follow_up(session, load_collaboration(), 2026, now=NOW)
    html = render_follow_up(report)
    parsed = ReportParser(html)
    _assert_self_contained(html)
    assert set(parsed.summary()["total"]) == {"0", "–"}
    assert len(parsed.summary()) == 5  # the four configured focus areas and the total
    text = parsed.section_text("sammanfattning")
    assert "Inga åtgärder under 2026." in text and "Inga observationer under 2025 eller 2026." in text
    assert parsed.section_text("atgarder").count("Inga åtgärder.") == 4
    assert "Inga medborgarlöften." in parsed.section_text("medborgarloften")
    assert list(parsed.deadlines()) == ["renewal", "follow_up", "lagesbild_update"]
    _assert_embedded_pngs(parsed)


def test_the_command_writes_the_file_named_for_the_year(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'samverkan.db'}"

    async def prepare() -> None:
        database = Database(url)
        try:
            await database.upgrade()
            await _seed(database)
        finally:
            await database.dispose()

    asyncio.run(prepare())
    result = samverkan("report", "follow-up", "--year", "2026", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Skrev uppföljningen för 2026 till uppfoljning-2026.html"
    parsed = ReportParser((tmp_path / "uppfoljning-2026.html").read_text(encoding="utf-8"))
    assert "Kvällsvandring vid stationen" in parsed.section_text("atgarder")
    _assert_embedded_pngs(parsed)

    elsewhere = samverkan("report", "follow-up", "--year", "2026", "-o", str(tmp_path / "saknas" / "r.html"),
                          cwd=tmp_path)
    assert elsewhere.returncode == 1 and "Kunde inte skriva" in elsewhere.stderr
    future = samverkan("report", "follow-up", "--year", str(date.today().year + 1), cwd=tmp_path)
    assert future.returncode == 2 and "har inte börjat än" in future.stderr
    wrong = samverkan("report", "follow-up", "-o", "rapport.pdf", cwd=tmp_path)
    assert wrong.returncode == 2 and "har inte ändelsen .html" in wrong.stderr
