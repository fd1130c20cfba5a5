"""Named days: Swedish public holidays and the days people name (julafton, lucia, första advent)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from dialogs.nlu.time.base import _Context
from domain.text import fold

# --- named days --------------------------------------------------------------------------------------

def _first_advent(year: int) -> date:
    christmas = date(year, 12, 25)
    fourth_advent = christmas - timedelta(days=(christmas.weekday() + 1) % 7 or 7)
    return fourth_advent - timedelta(weeks=3)


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> dict[str, date]:
    by_name = {fold(name): day for day, name in holidays.Sweden(years=year, language="sv").items()}
    midsummer = by_name["midsommardagen"]
    easter = by_name["paskdagen"]
    return {
        "julafton": date(year, 12, 24), "jul": date(year, 12, 24), "julen": date(year, 12, 24),
        "juldagen": date(year, 12, 25), "annandag jul": date(year, 12, 26),
        "nyarsafton": date(year, 12, 31), "nyar": date(year, 12, 31), "nyarsdagen": date(year, 1, 1),
        "trettondagen": date(year, 1, 6), "trettondag jul": date(year, 1, 6),
        "trettondagsafton": date(year, 1, 5),
        "langfredag": easter - timedelta(days=2), "langfredagen": easter - timedelta(days=2),
        "paskafton": easter - timedelta(days=1), "pask": easter, "paskdagen": easter,
        "annandag pask": easter + timedelta(days=1),
        "valborg": date(year, 4, 30), "valborgsmassoafton": date(year, 4, 30),
        "forsta maj": date(year, 5, 1),
        "kristi himmelsfardsdag": by_name["kristi himmelsfardsdag"],
        "nationaldagen": date(year, 6, 6),
        "midsommar": midsummer - timedelta(days=1), "midsommarafton": midsummer - timedelta(days=1),
        "midsommardagen": midsummer,
        "lucia": date(year, 12, 13), "luciadagen": date(year, 12, 13),
        "forsta advent": _first_advent(year),
        "alla helgons dag": by_name["alla helgons dag"], "allhelgona": by_name["alla helgons dag"],
    }


def _holiday(name: str, ctx: _Context) -> date:
    """The named day this year if it is still ahead (future) or already here (past), else the next/last."""
    year = ctx.today.year
    day = _swedish_holidays(year)[name]
    if ctx.future:
        return day if day >= ctx.today else _swedish_holidays(year + 1)[name]
    return day if day <= ctx.today else _swedish_holidays(year - 1)[name]


