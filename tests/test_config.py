"""Tests for settings (bot.config) and the collaboration file (domain.collaboration): loader, checks, locator."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from domain.collaboration import (
    DEFAULT_CONFIG_PATH,
    Collaboration,
    ConfigError,
    ConfigProblem,
    Deadline,
    check_file,
    load_collaboration,
)
from domain.collaboration.locator import KeyLocator, format_path, parse_path

MINIMAL = """\
[collaboration]
name = "Test"
municipality = "Testkommun"
police_area = "LPO Test"
timezone = "Europe/Stockholm"
contact = "Samordnaren"

[period]
start = 2025-01-01
end = 2026-12-31

[[parties]]
code = "kommun"
name = "Testkommun"

[[parties]]
code = "polis"
name = "LPO Test"

[[focus_areas]]
code = "trygga-unga"
name = "Trygga unga"
synonyms = ["unga"]

[[focus_areas]]
code = "fri-fran-vald"
name = "Kommun fri från våld"
synonyms = ["våld"]

[[focus_areas]]
code = "andts"
name = "ANDTS"

[[focus_areas]]
code = "skadegorelse-skola"
name = "Skadegörelser i skolmiljö"
synonyms = ["klotter"]

[[forums]]
code = "strategiska-bra"
name = "Strategiska BRÅ"
decision_mandate = true

[[forums]]
code = "operativa-bra"
name = "Operativa BRÅ"

[[forums]]
code = "sspf"
name = "SSPF"

[[forums]]
code = "styrgrupp-barn-unga"
name = "Styrgrupp"

[[deadlines]]
code = "renewal"
title = "Förnyelse"
due = 2026-11-30
responsible_forum = "strategiska-bra"

[[deadlines]]
code = "follow_up"
title = "Uppföljning"
due = 2025-12-31
every_months = 12

[[deadlines]]
code = "lagesbild_update"
title = "Lägesbild"
due = 2026-12-31
every_months = 24
"""


def write(tmp_path: Path, text: str, name: str = "test.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_containing(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``fragment``, so expectations follow edits."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return hits[occurrence - 1]


# -- default collaboration file --------------------------------------------------------------------


def test_default_file_is_valid_and_in_package() -> None:
    assert DEFAULT_CONFIG_PATH.is_file()
    assert DEFAULT_CONFIG_PATH.parent.parent == Path(__file__).parents[1] / "domain" / "collaboration"
    assert check_file(DEFAULT_CONFIG_PATH) == []


def test_default_file_content() -> None:
    c = load_collaboration(DEFAULT_CONFIG_PATH)
    assert isinstance(c, Collaboration)
    assert c.timezone == "Europe/Stockholm"
    assert (c.period_start, c.period_end, c.extends_until_replaced) == (
        date(2025, 1, 1),
        date(2026, 12, 31),
        True,
    )
    assert [p.code for p in c.parties] == ["kommun", "polis"]
    assert [f.code for f in c.focus_areas] == ["trygga-unga", "fri-fran-vald", "andts", "skadegorelse-skola"]
    assert [f.code for f in c.forums] == ["strategiska-bra", "operativa-bra", "sspf", "styrgrupp-barn-unga"]
    assert {f.code for f in c.forums if f.decision_mandate} == {"strategiska-bra", "styrgrupp-barn-unga"}
    assert [d.code for d in c.deadlines] == ["renewal", "follow_up", "lagesbild_update"]
    assert c.members == ()

    renewal = c.deadline("renewal")
    assert renewal.due == date(2026, 11, 30)
    assert renewal.every_months is None
    assert renewal.responsible_forum == "strategiska-bra"
    assert "senast under hösten 2026" in renewal.quote
    follow_up = c.deadline("follow_up")
    assert (follow_up.due, follow_up.every_months, follow_up.responsible_forum) == (
        date(2025, 12, 31),
        12,
        "strategiska-bra",
    )
    lagesbild = c.deadline("lagesbild_update")
    assert (lagesbild.due, lagesbild.every_months) == (date(2026, 12, 31), 24)
    assert "Medborgarlöften" in lagesbild.quote

    assert "klotter" in c.focus_area("skadegorelse-skola").synonyms
    assert "obrå" in c.forum("operativa-bra").synonyms
    assert c.party("polis").name == "Lokalpolisområde Ljungby"
    with pytest.raises(KeyError):
        c.forum("nope")


def test_collaboration_in_force_counts_tacit_extension() -> None:
    c = load_collaboration(DEFAULT_CONFIG_PATH)
    assert not c.in_force(date(2024, 12, 31))
    assert c.in_force(date(2026, 6, 1))
    assert c.in_force(date(2027, 6, 1))


def test_deadline_occurrences() -> None:
    yearly = Deadline("follow_up", "Uppföljning", date(2025, 12, 31), 12, None, "")
    assert yearly.occurrences(date(2025, 12, 30)) == []
    assert yearly.occurrences(date(2027, 12, 31)) == [
        date(2025, 12, 31),
        date(2026, 12, 31),
        date(2027, 12, 31),
    ]
    assert yearly.next_due(date(2026, 1, 1)) == date(2026, 12, 31)
    month_end = Deadline("x", "x", date(2025, 1, 31), 1)
    assert month_end.occurrences(date(2025, 3, 31)) == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
    ]
    once = Deadline("renewal", "Förnyelse", date(2026, 11, 30))
    assert once.occurrences(date(2030, 1, 1)) == [date(2026, 11, 30)]
    assert once.occurrences(date(2026, 11, 29)) == []
    assert once.next_due(date(2026, 12, 1)) is None


def test_minimal_file_loads(tmp_path: Path) -> None:
    c = load_collaboration(write(tmp_path, MINIMAL))
    assert c.extends_until_replaced is False
    assert c.forum("sspf").description == ""
    assert c.deadline("renewal").quote == ""
    assert (c.places, c.social_services, c.party("kommun").units) == ((), None, ())


def test_places_units_and_social_services(tmp_path: Path) -> None:
    text = MINIMAL.replace('code = "kommun"\nname = "Testkommun"\n',
                           'code = "kommun"\nname = "Testkommun"\nunits = ["socialtjänsten", "skolan"]\n') + (
        '\n[[places]]\nname = "Storskolan"\nkind = "skola"\nsynonyms = ["stora skolan"]\n'
        '\n[social_services]\nname = "Socialtjänsten i Testkommun"\ncontact = "Ring 010-100 00 00."\n')
    c = load_collaboration(write(tmp_path, text))
    assert c.party("kommun").units == ("socialtjänsten", "skolan")
    assert c.places[0].name == "Storskolan" and c.places[0].synonyms == ("stora skolan",)
    assert c.social_services.name == "Socialtjänsten i Testkommun" and c.social_services.after_hours == ""


def test_places_and_social_services_problems_have_lines(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[places]]\nkind = "skola"\n\n[social_services]\nname = "Soc"\nphone = "1"\n'
    problems = {p.path: p for p in check_file(write(tmp_path, text))}
    assert problems["places[0].name"].line == line_containing(text, "[[places]]")
    assert problems["social_services.phone"].line == line_containing(text, "phone =")
    assert "contact" in problems["social_services.contact"].message


def test_detail_levels_default_to_summary_for_teams_and_full_for_matrix(tmp_path: Path) -> None:
    assert (load_collaboration(write(tmp_path, MINIMAL)).detail.teams, load_collaboration().detail.matrix) == \
        ("summary", "full")
    c = load_collaboration(write(tmp_path, MINIMAL + '\n[detail]\nteams = "full"\nmatrix = "summary"\n'))
    assert (c.detail.teams, c.detail.matrix) == ("full", "summary")
    text = MINIMAL + '\n[detail]\nteams = "allt"\n'
    [problem] = check_file(write(tmp_path, text))
    assert (problem.path, problem.line) == ("detail.teams", line_containing(text, 'teams = "allt"'))
    assert "not a detail level" in problem.message
    text = MINIMAL + '\n[detail]\nslack = "full"\n'
    [problem] = check_file(write(tmp_path, text))
    assert (problem.path, problem.line) == ("detail.slack", line_containing(text, "slack ="))


# -- settings ---------------------------------------------------------------------------------------


def test_settings_defaults() -> None:
    s = Settings.from_env({}, env_file=None)
    assert s.database_url == "sqlite+aiosqlite:///./data/samverkan.db"
    assert (s.host, s.port) == ("127.0.0.1", 3978)
    assert s.config_path == DEFAULT_CONFIG_PATH
    assert (s.app_id, s.app_password, s.app_tenant_id) == ("", "", "")
    assert s.app_type == "MultiTenant"
    assert s.log_level == "INFO"
    assert not s.has_credentials


def test_settings_env_overrides(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": "postgresql+asyncpg://u:p@db/samverkan",
        "HOST": "0.0.0.0",
        "PORT": "8080",
        "SAMVERKAN_CONFIG": str(tmp_path / "x.toml"),
        "MicrosoftAppId": "app-id",
        "MicrosoftAppPassword": "hemligt",
        "MicrosoftAppTenantId": "tenant",
        "MicrosoftAppType": "singletenant",
        "LOG_LEVEL": "debug",
    }
    s = Settings.from_env(env, env_file=None)
    assert s.database_url == "postgresql+asyncpg://u:p@db/samverkan"
    assert (s.host, s.port) == ("0.0.0.0", 8080)
    assert s.config_path == tmp_path / "x.toml"
    assert (s.app_id, s.app_password, s.app_tenant_id) == ("app-id", "hemligt", "tenant")
    assert s.app_type == "SingleTenant"
    assert s.log_level == "DEBUG"
    assert s.has_credentials


def test_settings_reads_env_file_without_overriding_env(tmp_path: Path) -> None:
    env_file = write(tmp_path, "PORT=4000\nHOST=10.0.0.1\nMicrosoftAppId=from-file\n", ".env")
    s = Settings.from_env({"PORT": "5000"}, env_file=env_file)
    assert s.port == 5000
    assert s.host == "10.0.0.1"
    assert s.app_id == "from-file"
    assert Settings.from_env({}, env_file=tmp_path / "missing.env").port == 3978


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+asyncpg://u:p@h:5432/db"),
        ("postgres://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("sqlite:///./x.db", "sqlite+aiosqlite:///./x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql+asyncpg://h/db", "postgresql+asyncpg://h/db"),
    ],
)
def test_database_url_normalisation(url: str, expected: str) -> None:
    assert Settings.from_env({"DATABASE_URL": url}, env_file=None).database_url == expected


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "abc"}, "PORT"),
        ({"PORT": "0"}, "PORT"),
        ({"PORT": "65536"}, "PORT"),
        ({"MicrosoftAppType": "Whatever"}, "MicrosoftAppType"),
        ({"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": "x"}, "MicrosoftAppTenantId"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DATABASE_URL": "mysql://h/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"SAMVERKAN_RATE_LIMIT": "many"}, "SAMVERKAN_RATE_LIMIT"),
        ({"SAMVERKAN_RATE_LIMIT": "0"}, "SAMVERKAN_RATE_LIMIT"),
    ],
)
def test_settings_invalid_values(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env(env, env_file=None)


def test_settings_repr_hides_secrets() -> None:
    s = Settings.from_env(
        {"MicrosoftAppPassword": "hemligt-lösen", "DATABASE_URL": "postgresql://u:dbsecret@h/db"},
        env_file=None,
    )
    assert "hemligt-lösen" not in repr(s)
    assert "dbsecret" not in repr(s)
    assert "***" in repr(s)


# -- check_file: problems with line numbers ------------------------------------------------------------


def test_problem_str() -> None:
    problem = ConfigProblem(12, "focus_areas[2].code", "duplicate code 'andts'", "almhult.toml")
    assert str(problem) == "almhult.toml:12: focus_areas[2].code: duplicate code 'andts'"
    assert str(ConfigProblem(None, "", "cannot read file", "x.toml")) == "x.toml: cannot read file"


def test_syntax_error_line(tmp_path: Path) -> None:
    text = MINIMAL.replace('name = "Testkommun"\n\n', 'name = "Testkommun\n\n', 1)
    problems = check_file(write(tmp_path, text))
    assert len(problems) == 1
    assert problems[0].line == line_containing(text, 'name = "Testkommun')
    assert "syntax" in problems[0].message


def test_syntax_error_missing_equals(tmp_path: Path) -> None:
    text = MINIMAL.replace("every_months = 12", "every_months 12")
    [problem] = check_file(write(tmp_path, text))
    assert problem.line == line_containing(text, "every_months 12")
    assert str(problem).startswith(f"{tmp_path / 'test.toml'}:{problem.line}: TOML syntax error")


def test_missing_required_key_reported_at_table_header(tmp_path: Path) -> None:
    text = MINIMAL.replace('code = "sspf"\nname = "SSPF"\n', 'code = "sspf"\n')
    [problem] = check_file(write(tmp_path, text))
    assert problem.path == "forums[2].name"
    assert problem.line == line_containing(text, 'code = "sspf"') - 1
    assert "missing required key 'name'" in problem.message


def test_duplicate_code(tmp_path: Path) -> None:
    text = MINIMAL.replace('code = "trygga-unga"', 'code = "andts"')
    problems = check_file(write(tmp_path, text))
    duplicate = next(p for p in problems if "duplicate" in p.message)
    assert duplicate.path == "focus_areas[2].code"
    assert duplicate.line == line_containing(text, 'code = "andts"', 2)
    first = line_containing(text, 'code = "andts"')
    assert f"first defined on line {first}" in duplicate.message
    # Dropping trygga-unga is a second, separate problem.
    assert any("trygga-unga" in p.message for p in problems)


def test_unknown_key_typo(tmp_path: Path) -> None:
    text = MINIMAL.replace('synonyms = ["våld"]', 'synonym = ["våld"]')
    [problem] = check_file(write(tmp_path, text))
    assert problem.path == "focus_areas[1].synonym"
    assert problem.line == line_containing(text, "synonym =")
    assert "did you mean 'synonyms'" in problem.message


def test_unknown_top_level_table(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[focus_area]]\ncode = "x"\n'
    [problem] = check_file(write(tmp_path, text))
    assert problem.line == line_containing(text, "[[focus_area]]")
    assert "did you mean 'focus_areas'" in problem.message


def test_bad_responsible_forum(tmp_path: Path) -> None:
    text = MINIMAL.replace('responsible_forum = "strategiska-bra"', 'responsible_forum = "strategiskt-bra"')
    [problem] = check_file(write(tmp_path, text))
    assert problem.path == "deadlines[0].responsible_forum"
    assert problem.line == line_containing(text, "responsible_forum")
    assert "unknown forum 'strategiskt-bra'" in problem.message


def test_several_problems_at_once(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace('timezone = "Europe/Stockholm"', 'timezone = "Europe/Älmhult"')
        .replace("end = 2026-12-31", "end = 2024-12-31")
        .replace('code = "polis"', 'code = "polisen"')
        .replace('code = "operativa-bra"', 'code = "Operativa BRÅ"')
        .replace("every_months = 24", "every_months = 0")
        .replace('synonyms = ["klotter"]', 'synonyms = ["klotter", "VÅLD"]')
    )
    text += '\n[[members]]\nname = "Anna"\nparty = "region"\nmatrix_id = "anna"\n'
    path = write(tmp_path, text)
    problems = check_file(path)
    by_path = {p.path: p for p in problems}
    expected = {
        "collaboration.timezone": "timezone =",
        "period.end": "end = 2024",
        "parties[1].code": 'code = "polisen"',
        "forums[1].code": 'code = "Operativa BRÅ"',
        "deadlines[2].every_months": "every_months = 0",
        "focus_areas[3].synonyms[1]": '"VÅLD"',
        "members[0].party": 'party = "region"',
        "members[0].matrix_id": 'matrix_id = "anna"',
    }
    for key, fragment in expected.items():
        assert key in by_path, (key, [str(p) for p in problems])
        assert by_path[key].line == line_containing(text, fragment), key
    assert [p.line for p in problems if p.line] == sorted(p.line for p in problems if p.line)

    with pytest.raises(ConfigError) as info:
        load_collaboration(path)
    assert len(info.value.problems) == len(problems)
    assert all(str(p) in str(info.value) for p in problems)


def test_wrong_types(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("start = 2025-01-01", 'start = "2025-01-01"')
        .replace("decision_mandate = true", 'decision_mandate = "ja"')
        .replace('synonyms = ["unga"]', 'synonyms = "unga"')
    )
    problems = {p.path: p for p in check_file(write(tmp_path, text))}
    assert problems["period.start"].line == line_containing(text, "start =")
    assert "date" in problems["period.start"].message
    assert problems["forums[0].decision_mandate"].line == line_containing(text, "decision_mandate")
    assert problems["focus_areas[0].synonyms"].line == line_containing(text, 'synonyms = "unga"')


def test_single_brackets_for_array_of_tables(tmp_path: Path) -> None:
    text = MINIMAL.replace("[[parties]]", "[parties]", 1).replace("[[parties]]", "", 1)
    text = text.replace('code = "polis"\nname = "LPO Test"\n', "")
    problems = check_file(write(tmp_path, text))
    assert any(p.path == "parties" and "[[parties]]" in p.message for p in problems)


def test_missing_section_and_unreadable_file(tmp_path: Path) -> None:
    text = MINIMAL.split("[[deadlines]]")[0]
    [problem] = check_file(write(tmp_path, text))
    assert problem.path == "deadlines"
    assert problem.line is None
    missing = tmp_path / "nope.toml"
    [problem] = check_file(missing)
    assert problem.line is None and "cannot read" in problem.message
    with pytest.raises(ConfigError, match="cannot read"):
        load_collaboration(missing)


def test_deadline_far_from_period(tmp_path: Path) -> None:
    text = MINIMAL.replace("due = 2026-11-30", "due = 2062-11-30")
    [problem] = check_file(write(tmp_path, text))
    assert problem.path == "deadlines[0].due"
    assert problem.line == line_containing(text, "due = 2062")


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert check_file(path) == []


# -- locator -----------------------------------------------------------------------------------------


LOCATOR_TEXT = textwrap.dedent(
    '''\
    # comment with key = "value" and [[fake]]
    top = 1  # trailing [comment]

    [collaboration]
    "quoted key" = "a = b"
    'literal.key' = 2
    notes = """
    fake = 3
    [[not_a_table]]
    """
    period = { start = 2025-01-01, end = { day = 31 } }

    [[forums]]  # first
    code = "a"

    [[forums]]
    code = "b"
    synonyms = [
        "x",  # comment
        "y",
    ]
    site."example.org".owner = "me"
    members = [ { name = "A" },
                { name = "B" } ]
    '''
)


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("top", 2),
        ("collaboration", 4),
        ('collaboration."quoted key"', 5),
        ('collaboration."literal.key"', 6),
        ("collaboration.notes", 7),
        ("collaboration.period", 11),
        ("collaboration.period.end.day", 11),
        ("forums", 13),
        ("forums[0]", 13),
        ("forums[0].code", 14),
        ("forums[1]", 16),
        ("forums[1].code", 17),
        ("forums[1].synonyms", 18),
        ("forums[1].synonyms[1]", 20),
        ('forums[1].site."example.org".owner', 22),
        ("forums[1].members[1].name", 24),
    ],
)
def test_locator_lines(path: str, line: int) -> None:
    assert KeyLocator(LOCATOR_TEXT).line_of(path) == line


def test_locator_fallback_and_fake_keys() -> None:
    locator = KeyLocator(LOCATOR_TEXT)
    assert locator.line_of("forums[1].description") == 16
    assert locator.line_of("forums[1].description", fallback=False) is None
    assert locator.line_of("nowhere") is None
    located = {format_path(p) for p in locator.paths()}
    assert not {"fake", "not_a_table", "collaboration.fake"} & located


def test_locator_tolerates_broken_text() -> None:
    assert KeyLocator('[a]\nx = "unterminated\n[[b]]\ny = [1,\n').line_of("a.x") == 2


def test_path_round_trip() -> None:
    assert parse_path('a[1].b."c.d"[2]') == ("a", 1, "b", "c.d", 2)
    assert format_path(("a", 1, "b", "c.d", 2)) == 'a[1].b."c.d"[2]'
    with pytest.raises(ValueError):
        parse_path("a..b")


def test_synonym_collision_between_focus_area_and_forum(tmp_path: Path) -> None:
    text = MINIMAL.replace('name = "SSPF"', 'name = "SSPF"\nsynonyms = ["Klotter"]')
    [problem] = check_file(write(tmp_path, text))
    assert problem.path == "forums[2].synonyms[0]"
    assert problem.line == line_containing(text, '["Klotter"]')
    assert f"focus area 'skadegorelse-skola' (line {line_containing(text, 'skadegorelse-skola') - 1})" in (
        problem.message
    )


def test_members_load(tmp_path: Path) -> None:
    text = MINIMAL + textwrap.dedent(
        """
        [[members]]
        name = "Anna"
        party = "kommun"
        admin = true
        matrix_id = "@anna:example.org"

        [[members]]
        name = "Per"
        party = "polis"
        role = "Kommunpolis"
        teams_object_id = "00000000-0000-0000-0000-000000000001"
        """
    )
    c = load_collaboration(write(tmp_path, text))
    members = [(m.name, m.party, m.admin) for m in c.members]
    assert members == [("Anna", "kommun", True), ("Per", "polis", False)]
    assert c.members[0].matrix_id == "@anna:example.org"
    assert c.members[1].teams_object_id is not None and c.members[1].matrix_id is None


def test_school_breaks_are_read_and_checked(tmp_path):
    from domain.collaboration import SchoolBreak, check_file, load_collaboration

    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8") + (
        '\n[[school_breaks]]\nname = "Påsklov"\nfirst_week = 13\n'
        '\n[[school_breaks]]\nname = "jullov"\nfirst_week = 52\nlast_week = 1\n')
    good = tmp_path / "good.toml"
    good.write_text(text, encoding="utf-8")
    collaboration = load_collaboration(good)
    assert SchoolBreak("jullov", 52, 1) in collaboration.school_breaks
    assert collaboration.school_break_weeks()["pasklov"] == (13, 13)
    assert collaboration.school_break_weeks()["hostlov"] == (44, 44)

    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("last_week = 1", "last_week = 54"), encoding="utf-8")
    [problem] = check_file(bad)
    assert problem.path == "school_breaks[2].last_week"
    assert problem.line == len(text.replace("last_week = 1", "last_week = 54").splitlines())


def test_a_forum_says_when_it_meets_in_swedish(tmp_path: Path) -> None:
    text = MINIMAL.replace('code = "operativa-bra"', 'code = "operativa-bra"\nmeets = "varannan tisdag kl 13"', 1)
    collaboration = load_collaboration(write(tmp_path, text))
    assert collaboration.forum("operativa-bra").meets == "varannan tisdag kl 13"
    unreadable = text.replace("varannan tisdag kl 13", "ibland när det passar")
    [problem] = check_file(write(tmp_path, unreadable, "bad.toml"))
    assert problem.path.endswith(".meets") and problem.line == line_containing(unreadable, "meets =")
    assert "varannan tisdag kl 13" in problem.message  # the example to follow
