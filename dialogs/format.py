"""Swedish wording of dates and distances in time, for every reply."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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


_WEEKDAYS = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")
_MONTHS = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
_MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                "oktober", "november", "december")


def _short(day: date, year: int | None) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == year else f"{text} {day.year}"


def interval_text(start: datetime, end: datetime, now: datetime | None = None) -> str:
    """How the bot says back a time it read: 'tis 25 nov 18:00–24:00', 'v. 49 (30 nov–6 dec)'.

    The year is left out when it is the current one (``now``), so replies stay short.
    """
    year = now.year if now else None
    midnight = time()
    first, last_day = start.date(), (end - timedelta(microseconds=1)).date()
    if start == end:
        return f"{_WEEKDAYS[first.weekday()]} {_short(first, year)} kl {start:%H:%M}"
    whole_days = start.time() == midnight and end.time() == midnight
    if whole_days:
        days = (end.date() - first).days
        if days == 1:
            return f"{_WEEKDAYS[first.weekday()]} {_short(first, year)}"
        if days == 7 and first.weekday() == 0:
            iso = first.isocalendar()
            week = f"v. {iso.week}" if iso.year == year else f"v. {iso.week} {iso.year}"
            shown = year if first.year == last_day.year == year else None
            return f"{week} ({_short(first, shown)}–{_short(last_day, shown)})"
        if first.day == 1 and end.date().day == 1:
            months = (end.year - first.year) * 12 + end.month - first.month
            if months == 1:
                name = _MONTH_NAMES[first.month - 1]
                return name if first.year == year else f"{name} {first.year}"
            if months == 12 and first.month == 1:
                return str(first.year)
            if months == 3 and first.month % 3 == 1:
                return f"kvartal {first.month // 3 + 1} {first.year}"
        if (first.year, first.month) == (last_day.year, last_day.month):
            return f"{first.day}–{_short(last_day, year)}"
        return f"{_short(first, year)}–{_short(last_day, year)}"
    if first == last_day or end.time() == midnight and (end.date() - first).days == 1:
        stop = "24:00" if end.time() == midnight else f"{end:%H:%M}"
        return f"{_WEEKDAYS[first.weekday()]} {_short(first, year)} {start:%H:%M}–{stop}"
    return f"{_short(first, year)} {start:%H:%M}–{_short(end.date(), year)} {end:%H:%M}"


def short_date(day: date, today: date) -> str:
    """'15 nov', or '15 jan 2027' when it is not this year."""
    return _short(day, today.year)


def meeting_when(moment: datetime, zone: ZoneInfo, today: date) -> str:
    """'tisdag 8 december kl 13:00', with the year when it is not this one."""
    local = moment.astimezone(zone)
    day = format_date(local.date(), "EEEE d MMMM", locale="sv")
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day} kl {local:%H:%M}"
