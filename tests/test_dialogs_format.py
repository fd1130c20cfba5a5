from datetime import date

from dialogs.format import days_from_today, long_date, recurrence


def test_dates_read_as_swedish():
    assert long_date(date(2026, 11, 30)) == "30 november 2026"
    assert [days_from_today(n) for n in (0, 1, 4, -1, -3)] == [
        "i dag", "i morgon", "om 4 dagar", "i går", "för 3 dagar sedan"]


def test_recurrence_reads_as_swedish():
    assert [recurrence(m) for m in (12, 24, 36, 1, 2, 3)] == [
        "varje år", "vartannat år", "vart tredje år", "varje månad", "varannan månad", "var tredje månad"]


def test_intervals_read_back_in_short_swedish():
    from datetime import datetime as at

    from dialogs.format import interval_text

    now = at(2026, 11, 26, 10)
    assert interval_text(at(2026, 11, 25, 18), at(2026, 11, 26), now) == "ons 25 nov 18:00–24:00"
    assert interval_text(at(2026, 11, 30), at(2026, 12, 7), now) == "v. 49 (30 nov–6 dec)"
    assert interval_text(at(2026, 12, 28), at(2027, 1, 4), now) == "v. 53 (28 dec 2026–3 jan 2027)"
    assert interval_text(at(2026, 11, 27, 9), at(2026, 11, 27, 9), now) == "fre 27 nov kl 09:00"
    assert interval_text(at(2027, 1, 15), at(2027, 1, 16), now) == "fre 15 jan 2027"
    assert interval_text(at(2026, 12, 1), at(2027, 1, 1), now) == "december"
    assert interval_text(at(2027, 1, 1), at(2027, 4, 1), now) == "kvartal 1 2027"
    assert interval_text(at(2026, 12, 27), at(2026, 12, 31), now) == "27–30 dec"
    assert interval_text(at(2026, 11, 26, 22), at(2026, 11, 27, 2), now) == "26 nov 22:00–27 nov 02:00"
