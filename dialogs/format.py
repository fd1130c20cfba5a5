"""Swedish wording of dates and distances in time, for every reply."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date


def long_date(day: date) -> str:
    """'30 november 2026'."""
    return format_date(day, "d MMMM y", locale="sv")


def days_from_today(days: int) -> str:
    """'i dag', 'i morgon', 'om 4 dagar', 'i går', 'för 3 dagar sedan'."""
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgon"
    if days == -1:
        return "i går"
    if days > 0:
        return f"om {days} dagar"
    return f"för {-days} dagar sedan"


def bullet_list(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


_ORDINAL = {2: "annan", 3: "tredje", 4: "fjärde", 5: "femte", 6: "sjätte"}


def recurrence(every_months: int) -> str:
    """'varje år', 'vartannat år', 'var tredje månad'."""
    if every_months % 12 == 0:
        years = every_months // 12
        if years == 1:
            return "varje år"
        return "vartannat år" if years == 2 else f"vart {_ORDINAL.get(years, f'{years}:e')} år"
    if every_months == 1:
        return "varje månad"
    return "varannan månad" if every_months == 2 else f"var {_ORDINAL.get(every_months, f'{every_months}:e')} månad"
