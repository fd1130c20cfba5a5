"""Load and validate a collaboration TOML file, reporting every problem with its line.

A coordinator edits this file by hand, so one run of ``check_file`` should list all mistakes at
once (like a compiler) instead of failing on the first.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from .errors import ConfigError, ConfigProblem
from .locator import KeyLocator, KeyPath, format_path
from .model import (
    PARTY_CODES,
    REQUIRED_DEADLINES,
    REQUIRED_FOCUS_AREAS,
    REQUIRED_FORUMS,
    Collaboration,
    Deadline,
    FocusArea,
    Forum,
    Member,
    Party,
    Place,
    SchoolBreak,
    SocialServices,
)

_CODE = re.compile(r"[a-z0-9-]+")
_DEADLINE_CODE = re.compile(r"[a-z0-9_-]+")
_MATRIX_ID = re.compile(r"@[^:\s]+:\S+")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
# How far a deadline may lie from the agreement period before it is taken for a typo.
_YEARS_BEFORE_PERIOD = 1
_YEARS_AFTER_PERIOD = 5

DEFAULT_CONFIG_PATH: Path = Path(__file__).resolve().parent / "defaults" / "almhult-ljungby.toml"


def load_collaboration(path: str | Path = DEFAULT_CONFIG_PATH) -> Collaboration:
    """Read and validate ``path``; raises ``ConfigError`` carrying every problem found."""
    text, problems = _read(path)
    collaboration = None
    if text is not None:
        collaboration, problems = _parse(text, str(path))
    if collaboration is None:
        raise ConfigError(f"invalid collaboration file {path}", problems)
    return collaboration


def check_file(path: str | Path) -> list[ConfigProblem]:
    """All problems in ``path``, sorted by line; empty when the file is valid."""
    text, problems = _read(path)
    if text is None:
        return problems
    return _parse(text, str(path))[1]


def _read(path: str | Path) -> tuple[str | None, list[ConfigProblem]]:
    try:
        # utf-8-sig: Windows editors (Notepad) may save a BOM that tomllib rejects.
        return Path(path).read_text(encoding="utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [ConfigProblem(None, "", f"file is not UTF-8 text ({exc.reason})", str(path))]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [ConfigProblem(None, "", f"cannot read file: {reason}", str(path))]


def _parse(text: str, file: str) -> tuple[Collaboration | None, list[ConfigProblem]]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax_problem(exc, text, file)]
    checker = _Checker(KeyLocator(text), file)
    collaboration = checker.collaboration(document)
    problems = sorted(checker.problems, key=lambda p: (p.line is None, p.line or 0))
    return (None if problems else collaboration), problems


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str, file: str) -> ConfigProblem:
    message = str(exc)
    line: int | None = None
    match = _TOML_POSITION.search(message)
    if match:
        message = message[: match.start()]
        if match[1]:
            line = int(match[1])
            message += f" (column {match[2]})"
        else:
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            message += " (at end of file)"
    return ConfigProblem(line, "", f"TOML syntax error: {message}", file)


# -- schema -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Field:
    kind: str  # "str", "text", "bool", "int", "date", "strings", "table", "tables"
    required: bool = True
    default: Any = None


_TOP = {
    "collaboration": _Field("table"),
    "period": _Field("table"),
    "parties": _Field("tables"),
    "focus_areas": _Field("tables"),
    "forums": _Field("tables"),
    "deadlines": _Field("tables"),
    "members": _Field("tables", required=False, default=[]),
    "school_breaks": _Field("tables", required=False, default=[]),
    "places": _Field("tables", required=False, default=[]),
    "social_services": _Field("table", required=False),
}
_COLLABORATION = {
    "name": _Field("str"),
    "municipality": _Field("str"),
    "police_area": _Field("str"),
    "timezone": _Field("str"),
    "contact": _Field("str"),
}
_PERIOD = {
    "start": _Field("date"),
    "end": _Field("date"),
    "extends_until_replaced": _Field("bool", required=False, default=False),
}
_PARTY = {"code": _Field("str"), "name": _Field("str"), "units": _Field("strings", required=False, default=[])}
_PLACE = {"name": _Field("str"), "kind": _Field("text", required=False, default=""),
          "synonyms": _Field("strings", required=False, default=[])}
_SOCIAL_SERVICES = {"name": _Field("str"), "contact": _Field("str"), "after_hours": _Field("text", required=False,
                                                                                            default=""),
                    "web": _Field("text", required=False, default="")}
_FOCUS_AREA = {
    "code": _Field("str"),
    "name": _Field("str"),
    "synonyms": _Field("strings", required=False, default=[]),
    "description": _Field("text", required=False, default=""),
}
_FORUM = {
    **_FOCUS_AREA,
    "decision_mandate": _Field("bool", required=False, default=False),
    "meets": _Field("str", required=False, default=""),
}
_DEADLINE = {
    "code": _Field("str"),
    "title": _Field("str"),
    "due": _Field("date"),
    "every_months": _Field("int", required=False),
    "responsible_forum": _Field("str", required=False),
    "quote": _Field("text", required=False, default=""),
}
_SCHOOL_BREAK = {
    "name": _Field("str"),
    "first_week": _Field("int"),
    "last_week": _Field("int", required=False),
}
_MEMBER = {
    "name": _Field("str"),
    "party": _Field("str"),
    "role": _Field("text", required=False, default=""),
    "admin": _Field("bool", required=False, default=False),
    "teams_object_id": _Field("str", required=False),
    "teams_tenant_id": _Field("str", required=False),
    "matrix_id": _Field("str", required=False),
}

_KIND_NAMES = {
    "str": "a non-empty string",
    "text": "a string",
    "bool": "true or false",
    "int": "an integer",
    "date": "a date (YYYY-MM-DD, unquoted)",
    "strings": "an array of strings",
    "table": "a table",
    "tables": "an array of tables",
}


def _type_ok(kind: str, value: Any) -> bool:
    match kind:
        case "str":
            return isinstance(value, str) and bool(value.strip())
        case "text":
            return isinstance(value, str)
        case "bool":
            return isinstance(value, bool)
        case "int":
            return isinstance(value, int) and not isinstance(value, bool)
        case "date":
            return isinstance(value, date) and not isinstance(value, datetime)
        case "strings":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        case "table":
            return isinstance(value, dict)
        case "tables":
            return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise AssertionError(kind)


def _normalise_term(term: str) -> str:
    return " ".join(term.casefold().split())


class _Checker:
    """Collects problems while building the ``Collaboration``; returns None pieces when invalid."""

    def __init__(self, locator: KeyLocator, file: str) -> None:
        self.locator = locator
        self.file = file
        self.problems: list[ConfigProblem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        line = self.locator.line_of(path)
        self.problems.append(ConfigProblem(line, format_path(path), message, self.file))

    def fields(self, table: Any, path: KeyPath, schema: Mapping[str, _Field]) -> dict[str, Any] | None:
        """Check keys and types of one table; returns its values (defaults filled) or None."""
        if not isinstance(table, dict):
            self.problem(path, "expected a table")
            return None
        ok = True
        for key in table:
            if key not in schema:
                close = difflib.get_close_matches(key, list(schema), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                allowed = ", ".join(schema)
                self.problem(path + (key,), f"unknown key '{key}'{hint}; allowed keys: {allowed}")
                ok = False
        values: dict[str, Any] = {}
        for key, spec in schema.items():
            if key not in table:
                if spec.required:
                    if spec.kind == "table":
                        self.problem(path + (key,), f"missing required table [{key}]")
                    elif spec.kind == "tables":
                        self.problem(path + (key,), f"missing required entries [[{key}]]")
                    else:
                        self.problem(path + (key,), f"missing required key {key!r}")
                    ok = False
                values[key] = spec.default
                continue
            value = table[key]
            if not _type_ok(spec.kind, value):
                if spec.kind == "strings" and isinstance(value, list):
                    for i, item in enumerate(value):
                        if not isinstance(item, str):
                            self.problem(path + (key, i), "expected a string")
                elif spec.kind == "tables" and isinstance(value, list):
                    pass  # each non-table entry is reported by _Checker.entries
                elif spec.kind == "tables" and isinstance(value, dict):
                    self.problem(path + (key,), f"expected an array of tables: write [[{key}]], not [{key}]")
                elif spec.kind == "str" and isinstance(value, str):
                    self.problem(path + (key,), "must not be empty")
                else:
                    self.problem(path + (key,), f"expected {_KIND_NAMES[spec.kind]}, got {_describe(value)}")
                ok = False
            values[key] = value
        return values if ok else None

    # -- sections ---------------------------------------------------------------------------------

    def collaboration(self, document: dict[str, Any]) -> Collaboration | None:
        top = self.fields(document, (), _TOP)
        get: Callable[[str], Any] = (top or document).get

        header = self.section(get("collaboration"), "collaboration", _COLLABORATION)
        if header is not None:
            self.timezone(header["timezone"])
        period = self.section(get("period"), "period", _PERIOD)
        if period is not None and period["start"] >= period["end"]:
            self.problem(("period", "end"), f"end {period['end']} must be after start {period['start']}")
            period = None

        parties = self.parties(get("parties"))
        focus_areas = self.coded_list(get("focus_areas"), "focus_areas", _FOCUS_AREA, REQUIRED_FOCUS_AREAS)
        forums = self.coded_list(get("forums"), "forums", _FORUM, REQUIRED_FORUMS)
        self.term_collisions(get("focus_areas"), get("forums"))
        forum_codes = {f["code"] for f in forums or [] if f}
        self.meeting_rules(forums, period)
        deadlines = self.deadlines(get("deadlines"), forum_codes, period)
        members = self.members(get("members"))
        school_breaks = self.school_breaks(get("school_breaks"))
        places = self.entries(get("places"), "places", _PLACE) if get("places") else []
        social = self.section(get("social_services"), "social_services", _SOCIAL_SERVICES) \
            if get("social_services") is not None else None

        if None in (top, header, period, parties, focus_areas, forums, deadlines, members, school_breaks) \
                or None in (places or []) or self.problems:
            return None
        assert header is not None and period is not None  # for type checkers; implied above
        return Collaboration(
            name=header["name"],
            municipality=header["municipality"],
            police_area=header["police_area"],
            timezone=header["timezone"],
            contact=header["contact"],
            period_start=period["start"],
            period_end=period["end"],
            extends_until_replaced=period["extends_until_replaced"],
            parties=tuple(parties or ()),
            focus_areas=tuple(
                FocusArea(f["code"], f["name"], tuple(f["synonyms"]), f["description"])
                for f in focus_areas or ()
            ),
            forums=tuple(
                Forum(f["code"], f["name"], tuple(f["synonyms"]), f["description"], f["decision_mandate"],
                      f["meets"])
                for f in forums or ()
            ),
            deadlines=tuple(deadlines or ()),
            members=tuple(members or ()),
            school_breaks=tuple(school_breaks or ()),
            places=tuple(Place(p["name"], p["kind"], tuple(p["synonyms"])) for p in places or () if p),
            social_services=SocialServices(social["name"], social["contact"], social["after_hours"], social["web"])
            if social else None,
        )

    def section(self, table: Any, name: str, schema: Mapping[str, _Field]) -> dict[str, Any] | None:
        """Check a single ``[name]`` table; a missing or mistyped one is already reported at top level."""
        return self.fields(table, (name,), schema) if isinstance(table, dict) else None

    def timezone(self, key: str) -> None:
        try:
            zoneinfo.ZoneInfo(key)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            message = f"unknown time zone {key!r} (e.g. 'Europe/Stockholm')"
            self.problem(("collaboration", "timezone"), message)

    def entries(
        self, tables: Any, name: str, schema: Mapping[str, _Field]
    ) -> list[dict[str, Any] | None] | None:
        """Field-check each ``[[name]]`` entry; None entries failed, None overall if absent."""
        if not isinstance(tables, list):
            return None
        return [self.fields(table, (name, i), schema) for i, table in enumerate(tables)]

    def unique_codes(self, entries: list[dict[str, Any] | None], name: str, pattern: re.Pattern[str]) -> bool:
        ok = True
        first: dict[str, int] = {}
        for i, entry in enumerate(entries):
            if entry is None:
                continue
            code = entry["code"]
            path = (name, i, "code")
            if not pattern.fullmatch(code):
                allowed = "a-z, 0-9, '_' and '-'" if pattern is _DEADLINE_CODE else "a-z, 0-9 and '-'"
                self.problem(path, f"invalid code {code!r}: use lowercase {allowed} only")
                ok = False
            elif code in first:
                line = self.locator.line_of((name, first[code], "code"))
                where = f" (first defined on line {line})" if line else ""
                self.problem(path, f"duplicate code {code!r}{where}")
                ok = False
            else:
                first[code] = i
        return ok

    def parties(self, tables: Any) -> list[Party] | None:
        entries = self.entries(tables, "parties", _PARTY)
        if entries is None:
            return None
        ok = self.unique_codes(entries, "parties", _CODE)
        codes = set()
        for i, entry in enumerate(entries):
            if entry is None:
                continue
            codes.add(entry["code"])
            if entry["code"] not in PARTY_CODES:
                message = f"party code must be 'kommun' or 'polis', not {entry['code']!r}"
                self.problem(("parties", i, "code"), message)
                ok = False
        for code in PARTY_CODES:
            if code not in codes and all(e is not None for e in entries):
                self.problem(("parties",), f"missing party {code!r}")
                ok = False
        if not ok or None in entries:
            return None
        return [Party(e["code"], e["name"], tuple(e["units"])) for e in entries if e]

    def coded_list(
        self, tables: Any, name: str, schema: Mapping[str, _Field], required: tuple[str, ...]
    ) -> list[dict[str, Any]] | None:
        entries = self.entries(tables, name, schema)
        if entries is None:
            return None
        ok = self.unique_codes(entries, name, _CODE)
        if None not in entries:
            codes = {e["code"] for e in entries if e}
            missing = [code for code in required if code not in codes]
            if missing:
                self.problem((name,), f"missing required code(s): {', '.join(missing)}")
                ok = False
        for i, entry in enumerate(entries):
            for j, synonym in enumerate(entry["synonyms"] if entry else ()):
                if not synonym.strip():
                    self.problem((name, i, "synonyms", j), "empty synonym")
                    ok = False
        if not ok or None in entries:
            return None
        return [e for e in entries if e]

    def meeting_rules(self, forums: list[dict[str, Any]] | None, period: dict[str, Any] | None) -> None:
        """A forum's ``meets`` must read as a series with a time, as the chat would read it."""
        from domain.rules.recurrence import parse_recurrence

        start = datetime.combine(period["start"], time()) if period else datetime(2000, 1, 1)
        for i, forum in enumerate(forums or ()):
            if forum and forum["meets"]:
                rule = parse_recurrence(forum["meets"], start)
                if rule is None or rule.start_time is None:
                    self.problem(("forums", i, "meets"), f"cannot read {forum['meets']!r} as recurring meetings "
                                 "with a time, e.g. 'varannan tisdag kl 13' or 'första måndagen i mars och "
                                 "oktober kl 9'")

    def term_collisions(self, focus_areas: Any, forums: Any) -> None:
        """A term (name, code or synonym) must point to one focus area or forum only.

        The bot maps free text such as "klotter" to a code; an ambiguous term would make that
        mapping depend on file order.
        """
        owner: dict[str, tuple[str, int, str]] = {}
        for name, tables in (("focus_areas", focus_areas), ("forums", forums)):
            if not isinstance(tables, list):
                continue
            for i, table in enumerate(tables):
                if not isinstance(table, dict):
                    continue
                terms: list[tuple[KeyPath, Any]] = [((name, i, "name"), table.get("name"))]
                terms.append(((name, i, "code"), table.get("code")))
                synonyms = table.get("synonyms")
                if isinstance(synonyms, list):
                    terms += [((name, i, "synonyms", j), s) for j, s in enumerate(synonyms)]
                label = str(table.get("code"))
                for path, term in terms:
                    if not isinstance(term, str) or not term.strip():
                        continue
                    key = _normalise_term(term)
                    previous = owner.setdefault(key, (name, i, label))
                    if previous[:2] != (name, i):
                        kind = "focus area" if previous[0] == "focus_areas" else "forum"
                        line = self.locator.line_of(previous[:2])
                        where = f" (line {line})" if line else ""
                        self.problem(path, f"{term!r} is already used by {kind} '{previous[2]}'{where}")

    def deadlines(
        self, tables: Any, forum_codes: set[str], period: dict[str, Any] | None
    ) -> list[Deadline] | None:
        entries = self.entries(tables, "deadlines", _DEADLINE)
        if entries is None:
            return None
        ok = self.unique_codes(entries, "deadlines", _DEADLINE_CODE)
        if None not in entries:
            codes = {e["code"] for e in entries if e}
            missing = [code for code in REQUIRED_DEADLINES if code not in codes]
            if missing:
                self.problem(("deadlines",), f"missing required code(s): {', '.join(missing)}")
                ok = False
        for i, entry in enumerate(entries):
            if entry is None:
                continue
            every = entry["every_months"]
            if every is not None and every <= 0:
                message = f"must be a positive number of months, not {every}"
                self.problem(("deadlines", i, "every_months"), message)
                ok = False
            forum = entry["responsible_forum"]
            if forum is not None and forum_codes and forum not in forum_codes:
                known = ", ".join(sorted(forum_codes))
                message = f"unknown forum {forum!r} (known: {known})"
                self.problem(("deadlines", i, "responsible_forum"), message)
                ok = False
            if period is not None:
                first = period["start"].year - _YEARS_BEFORE_PERIOD
                last = period["end"].year + _YEARS_AFTER_PERIOD
                if not first <= entry["due"].year <= last:
                    self.problem(
                        ("deadlines", i, "due"),
                        f"due {entry['due']} is implausibly far from the period "
                        f"{period['start']}–{period['end']} (allowed years {first}–{last})",
                    )
                    ok = False
        if not ok or None in entries:
            return None
        return [
            Deadline(e["code"], e["title"], e["due"], e["every_months"], e["responsible_forum"], e["quote"])
            for e in entries
            if e
        ]

    def school_breaks(self, tables: Any) -> list[SchoolBreak] | None:
        entries = self.entries(tables, "school_breaks", _SCHOOL_BREAK)
        if entries is None:
            return [] if tables is None or tables == [] else None
        ok = True
        for i, entry in enumerate(entries):
            if entry is None:
                continue
            if not entry["name"].casefold().endswith("lov"):
                message = f"{entry['name']!r} is not a school break name like 'sportlov'"
                self.problem(("school_breaks", i, "name"), message)
                ok = False
            for key in ("first_week", "last_week"):
                week = entry[key]
                if week is not None and not 1 <= week <= 53:
                    self.problem(("school_breaks", i, key), f"week {week} is not an ISO week (1-53)")
                    ok = False
        if not ok or None in entries:
            return None
        return [SchoolBreak(e["name"], e["first_week"], e["last_week"] or e["first_week"]) for e in entries if e]

    def members(self, tables: Any) -> list[Member] | None:
        entries = self.entries(tables, "members", _MEMBER)
        if entries is None:
            return [] if tables is None or tables == [] else None
        ok = True
        seen: dict[tuple[str, str], int] = {}
        for i, entry in enumerate(entries):
            if entry is None:
                continue
            if entry["party"] not in PARTY_CODES:
                message = f"unknown party {entry['party']!r} (use 'kommun' or 'polis')"
                self.problem(("members", i, "party"), message)
                ok = False
            matrix_id = entry["matrix_id"]
            if matrix_id is not None and not _MATRIX_ID.fullmatch(matrix_id):
                message = f"{matrix_id!r} is not a Matrix user id like '@namn:server'"
                self.problem(("members", i, "matrix_id"), message)
                ok = False
            for key in ("teams_object_id", "matrix_id"):
                if entry[key] is None:
                    continue
                identity = (key, entry[key].casefold())
                if identity in seen:
                    message = f"{entry[key]!r} is also used by members[{seen[identity]}]"
                    self.problem(("members", i, key), message)
                    ok = False
                seen.setdefault(identity, i)
        if not ok or None in entries:
            return None
        return [
            Member(
                e["name"],
                e["party"],
                e["role"],
                e["admin"],
                e["teams_object_id"],
                e["teams_tenant_id"],
                e["matrix_id"],
            )
            for e in entries
            if e
        ]


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, datetime):
        return "a date with time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
