"""Checks a parsed collaboration file and builds the ``Collaboration``, collecting every problem with its line.

A coordinator edits the file by hand, so the checker does not stop at the first mistake: each table and entry is
checked against the schema (schema.py) and the agreement's own rules (required focus areas, forums, deadlines).
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Callable, Mapping
from datetime import datetime, time
from typing import Any

from .errors import ConfigProblem
from .locator import KeyLocator, KeyPath, format_path
from .model import (
    DETAIL_LEVELS,
    PARTY_CODES,
    REQUIRED_DEADLINES,
    REQUIRED_FOCUS_AREAS,
    REQUIRED_FORUMS,
    Collaboration,
    Deadline,
    DetailDefaults,
    FocusArea,
    Forum,
    Member,
    Party,
    Place,
    SchoolBreak,
    SocialServices,
)
from .retention import check_retention
from .schema import (
    CODE,
    COLLABORATION,
    DEADLINE,
    DEADLINE_CODE,
    DETAIL,
    FOCUS_AREA,
    FORUM,
    KIND_NAMES,
    MATRIX_ID,
    MEMBER,
    PARTY,
    PERIOD,
    PLACE,
    SCHOOL_BREAK,
    SOCIAL_SERVICES,
    TOP,
    YEARS_AFTER_PERIOD,
    YEARS_BEFORE_PERIOD,
    Field,
    describe,
    normalise_term,
    type_ok,
)


class Checker:
    """Collects problems while building the ``Collaboration``; returns None pieces when invalid."""

    def __init__(self, locator: KeyLocator, file: str) -> None:
        self.locator = locator
        self.file = file
        self.problems: list[ConfigProblem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        line = self.locator.line_of(path)
        self.problems.append(ConfigProblem(line, format_path(path), message, self.file))

    def fields(self, table: Any, path: KeyPath, schema: Mapping[str, Field]) -> dict[str, Any] | None:
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
            if not type_ok(spec.kind, value):
                if spec.kind == "strings" and isinstance(value, list):
                    for i, item in enumerate(value):
                        if not isinstance(item, str):
                            self.problem(path + (key, i), "expected a string")
                elif spec.kind == "tables" and isinstance(value, list):
                    pass  # each non-table entry is reported by Checker.entries
                elif spec.kind == "tables" and isinstance(value, dict):
                    self.problem(path + (key,), f"expected an array of tables: write [[{key}]], not [{key}]")
                elif spec.kind == "str" and isinstance(value, str):
                    self.problem(path + (key,), "must not be empty")
                else:
                    self.problem(path + (key,), f"expected {KIND_NAMES[spec.kind]}, got {describe(value)}")
                ok = False
            values[key] = value
        return values if ok else None

    # -- sections ---------------------------------------------------------------------------------

    def collaboration(self, document: dict[str, Any]) -> Collaboration | None:
        top = self.fields(document, (), TOP)
        get: Callable[[str], Any] = (top or document).get

        header = self.section(get("collaboration"), "collaboration", COLLABORATION)
        if header is not None:
            self.timezone(header["timezone"])
        period = self.section(get("period"), "period", PERIOD)
        if period is not None and period["start"] >= period["end"]:
            self.problem(("period", "end"), f"end {period['end']} must be after start {period['start']}")
            period = None

        parties = self.parties(get("parties"))
        focus_areas = self.coded_list(get("focus_areas"), "focus_areas", FOCUS_AREA, REQUIRED_FOCUS_AREAS)
        forums = self.coded_list(get("forums"), "forums", FORUM, REQUIRED_FORUMS)
        self.term_collisions(get("focus_areas"), get("forums"))
        forum_codes = {f["code"] for f in forums or [] if f}
        self.meeting_rules(forums, period)
        deadlines = self.deadlines(get("deadlines"), forum_codes, period)
        members = self.members(get("members"))
        school_breaks = self.school_breaks(get("school_breaks"))
        places = self.entries(get("places"), "places", PLACE) if get("places") else []
        social = self.section(get("social_services"), "social_services", SOCIAL_SERVICES) \
            if get("social_services") is not None else None
        retention_ok, retention = check_retention(self, get("retention"))
        detail = self.detail(get("detail"))

        if None in (top, header, period, parties, focus_areas, forums, deadlines, members, school_breaks) \
                or None in (places or []) or not retention_ok or self.problems:
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
            retention=retention,
            detail=detail,
        )

    def section(self, table: Any, name: str, schema: Mapping[str, Field]) -> dict[str, Any] | None:
        """Check a single ``[name]`` table; a missing or mistyped one is already reported at top level."""
        return self.fields(table, (name,), schema) if isinstance(table, dict) else None

    def detail(self, table: Any) -> DetailDefaults:
        """``[detail]``: the default detail level per kind of channel, "full" or "summary"."""
        values = self.section(table, "detail", DETAIL) if table is not None else None
        if values is None:
            return DetailDefaults()
        for key, value in values.items():
            if value not in DETAIL_LEVELS:
                self.problem(("detail", key), f"{value!r} is not a detail level; use \"full\" or \"summary\"")
        return DetailDefaults(values["teams"], values["matrix"])

    def timezone(self, key: str) -> None:
        try:
            zoneinfo.ZoneInfo(key)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            message = f"unknown time zone {key!r} (e.g. 'Europe/Stockholm')"
            self.problem(("collaboration", "timezone"), message)

    def entries(
        self, tables: Any, name: str, schema: Mapping[str, Field]
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
                allowed = "a-z, 0-9, '_' and '-'" if pattern is DEADLINE_CODE else "a-z, 0-9 and '-'"
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
        entries = self.entries(tables, "parties", PARTY)
        if entries is None:
            return None
        ok = self.unique_codes(entries, "parties", CODE)
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
        self, tables: Any, name: str, schema: Mapping[str, Field], required: tuple[str, ...]
    ) -> list[dict[str, Any]] | None:
        entries = self.entries(tables, name, schema)
        if entries is None:
            return None
        ok = self.unique_codes(entries, name, CODE)
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
                    key = normalise_term(term)
                    previous = owner.setdefault(key, (name, i, label))
                    if previous[:2] != (name, i):
                        kind = "focus area" if previous[0] == "focus_areas" else "forum"
                        line = self.locator.line_of(previous[:2])
                        where = f" (line {line})" if line else ""
                        self.problem(path, f"{term!r} is already used by {kind} '{previous[2]}'{where}")

    def deadlines(
        self, tables: Any, forum_codes: set[str], period: dict[str, Any] | None
    ) -> list[Deadline] | None:
        entries = self.entries(tables, "deadlines", DEADLINE)
        if entries is None:
            return None
        ok = self.unique_codes(entries, "deadlines", DEADLINE_CODE)
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
                first = period["start"].year - YEARS_BEFORE_PERIOD
                last = period["end"].year + YEARS_AFTER_PERIOD
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
        entries = self.entries(tables, "school_breaks", SCHOOL_BREAK)
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
        entries = self.entries(tables, "members", MEMBER)
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
            if matrix_id is not None and not MATRIX_ID.fullmatch(matrix_id):
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
