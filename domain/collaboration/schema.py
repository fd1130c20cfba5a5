"""The collaboration file's schema: which keys each table has, of what kind, and how a value is described.

The checker (checker.py) walks a parsed TOML document against these tables; they are data, kept apart so the
shape of the file can be read at a glance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

CODE = re.compile(r"[a-z0-9-]+")
DEADLINE_CODE = re.compile(r"[a-z0-9_-]+")
MATRIX_ID = re.compile(r"@[^:\s]+:\S+")
# How far a deadline may lie from the agreement period before it is taken for a typo.
YEARS_BEFORE_PERIOD = 1
YEARS_AFTER_PERIOD = 5


@dataclass(frozen=True, slots=True)
class Field:
    kind: str  # "str", "text", "bool", "int", "date", "strings", "table", "tables"
    required: bool = True
    default: Any = None


TOP = {
    "collaboration": Field("table"),
    "period": Field("table"),
    "parties": Field("tables"),
    "focus_areas": Field("tables"),
    "forums": Field("tables"),
    "deadlines": Field("tables"),
    "members": Field("tables", required=False, default=[]),
    "school_breaks": Field("tables", required=False, default=[]),
    "places": Field("tables", required=False, default=[]),
    "social_services": Field("table", required=False),
    "retention": Field("table", required=False),
    "detail": Field("table", required=False),
}
COLLABORATION = {
    "name": Field("str"),
    "municipality": Field("str"),
    "police_area": Field("str"),
    "timezone": Field("str"),
    "contact": Field("str"),
}
PERIOD = {
    "start": Field("date"),
    "end": Field("date"),
    "extends_until_replaced": Field("bool", required=False, default=False),
}
PARTY = {"code": Field("str"), "name": Field("str"), "units": Field("strings", required=False, default=[])}
PLACE = {"name": Field("str"), "kind": Field("text", required=False, default=""),
          "synonyms": Field("strings", required=False, default=[])}
SOCIAL_SERVICES = {"name": Field("str"), "contact": Field("str"), "after_hours": Field("text", required=False,
                                                                                            default=""),
                    "web": Field("text", required=False, default="")}
DETAIL = {"teams": Field("str", required=False, default="summary"),
          "matrix": Field("str", required=False, default="full")}
FOCUS_AREA = {
    "code": Field("str"),
    "name": Field("str"),
    "synonyms": Field("strings", required=False, default=[]),
    "description": Field("text", required=False, default=""),
}
FORUM = {
    **FOCUS_AREA,
    "decision_mandate": Field("bool", required=False, default=False),
    "meets": Field("str", required=False, default=""),
}
DEADLINE = {
    "code": Field("str"),
    "title": Field("str"),
    "due": Field("date"),
    "every_months": Field("int", required=False),
    "responsible_forum": Field("str", required=False),
    "quote": Field("text", required=False, default=""),
}
SCHOOL_BREAK = {
    "name": Field("str"),
    "first_week": Field("int"),
    "last_week": Field("int", required=False),
}
MEMBER = {
    "name": Field("str"),
    "party": Field("str"),
    "role": Field("text", required=False, default=""),
    "admin": Field("bool", required=False, default=False),
    "teams_object_id": Field("str", required=False),
    "teams_tenant_id": Field("str", required=False),
    "matrix_id": Field("str", required=False),
}

RETENTION = {
    "decision": Field("text", required=False, default=""),
    "observations_months": Field("int", required=False),
    "audit_log_months": Field("int", required=False),
}

KIND_NAMES = {
    "str": "a non-empty string",
    "text": "a string",
    "bool": "true or false",
    "int": "an integer",
    "date": "a date (YYYY-MM-DD, unquoted)",
    "strings": "an array of strings",
    "table": "a table",
    "tables": "an array of tables",
}


def type_ok(kind: str, value: Any) -> bool:
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


def normalise_term(term: str) -> str:
    return " ".join(term.casefold().split())


def describe(value: Any) -> str:
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
