from datetime import date

from dialogs.format import days_from_today, long_date, recurrence


def test_dates_read_as_swedish():
    assert long_date(date(2026, 11, 30)) == "30 november 2026"
    assert [days_from_today(n) for n in (0, 1, 4, -1, -3)] == [
        "i dag", "i morgon", "om 4 dagar", "i går", "för 3 dagar sedan"]


def test_recurrence_reads_as_swedish():
    assert [recurrence(m) for m in (12, 24, 36, 1, 2, 3)] == [
        "varje år", "vartannat år", "vart tredje år", "varje månad", "varannan månad", "var tredje månad"]
