"""The Swedish time reader against the corpus README's conventions, read at Thursday 26 November 2026 10:00."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.nlu.time import read_time

NOW = datetime(2026, 11, 26, 10, 0)  # a Thursday, ISO week 48


def reading(text: str, direction: str = "future") -> tuple[str, str] | None:
    interval = read_time(text, NOW, direction)
    return (interval.as_json()["start"], interval.as_json()["end"]) if interval else None


def day(iso: str) -> tuple[str, str]:
    start = datetime.fromisoformat(iso)
    return start.strftime("%Y-%m-%dT%H:%M"), (start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def instant(iso: str) -> tuple[str, str]:
    return iso, iso


@pytest.mark.parametrize("text,direction,expected", [
    # days and parts of the day (a night belongs to the day it ends)
    ("i förrgår kväll", "past", ("2026-11-24T18:00", "2026-11-25T00:00")),
    ("imorgon förmiddag", "future", ("2026-11-27T10:00", "2026-11-27T12:00")),
    ("natten till söndag", "future", ("2026-11-29T00:00", "2026-11-29T06:00")),
    ("inatt", "past", ("2026-11-26T00:00", "2026-11-26T06:00")),
    # weekday forms: a bare weekday is never today; i fredags behind, på fredag ahead
    ("torsdag", "past", day("2026-11-19")),
    ("sön", "future", day("2026-11-29")),
    ("i lördags", "future", day("2026-11-21")),
    ("på lördag", "past", day("2026-11-28")),
    ("tisdag nästa vecka", "future", day("2026-12-01")),
    ("förra onsdagen", "past", day("2026-11-18")),
    # clock: instants; clock words read between 07 and 19 unless a part of the day says otherwise
    ("kl. 8", "future", instant("2026-11-27T08:00")),
    ("kl 08.15", "past", instant("2026-11-26T08:15")),
    ("23-tiden igår", "past", instant("2026-11-25T23:00")),
    ("kvart i tre", "future", instant("2026-11-26T14:45")),
    ("tjugo över sju ikväll", "future", instant("2026-11-26T19:20")),
    ("fredag 13-15", "future", ("2026-11-27T13:00", "2026-11-27T15:00")),
    # relative: days name a whole day, hours and minutes an instant
    ("om fem dagar", "future", day("2026-12-01")),
    ("för två veckor sedan", "past", day("2026-11-12")),
    ("om 45 minuter", "future", instant("2026-11-26T10:45")),
    # weeks (ISO), months, quarters, seasons, years
    ("vecka 53", "future", ("2026-12-28T00:00", "2027-01-04T00:00")),
    ("v.52", "past", ("2025-12-22T00:00", "2025-12-29T00:00")),
    ("förrförra veckan", "past", ("2026-11-09T00:00", "2026-11-16T00:00")),
    ("i oktober", "past", ("2026-10-01T00:00", "2026-11-01T00:00")),
    ("i december förra året", "past", ("2025-12-01T00:00", "2026-01-01T00:00")),
    ("i mitten av januari", "future", ("2027-01-11T00:00", "2027-01-21T00:00")),
    ("sista fredagen i månaden", "future", day("2026-11-27")),
    ("andra tisdagen i januari", "future", day("2027-01-12")),
    ("Q1 2027", "future", ("2027-01-01T00:00", "2027-04-01T00:00")),
    ("i somras", "future", ("2026-06-01T00:00", "2026-09-01T00:00")),
    ("i vintras", "past", ("2025-12-01T00:00", "2026-03-01T00:00")),
    ("nästa helg", "future", ("2026-12-05T00:00", "2026-12-07T00:00")),
    # named days from the holidays package and the calendar
    ("påskdagen", "future", day("2027-03-28")),
    ("första advent", "future", day("2026-11-29")),
    ("alla helgons dag", "past", day("2026-10-31")),
    ("före nyår", "future", day("2026-12-30")),
    ("mellandagarna", "future", ("2026-12-27T00:00", "2026-12-31T00:00")),
    # dates and ranges
    ("7/12-11/12", "future", ("2026-12-07T00:00", "2026-12-12T00:00")),
    ("3 december 2027", "future", day("2027-12-03")),
    ("1/12 kl 14", "future", instant("2026-12-01T14:00")),
    # missing diacritics, case, phone spellings, English
    ("IGAR KVALL", "past", ("2026-11-25T18:00", "2026-11-26T00:00")),
    ("imorn", "future", day("2026-11-27")),
    ("tomorrow at 9", "future", instant("2026-11-27T09:00")),
    ("last friday", "past", day("2026-11-20")),
])
def test_conventions(text, direction, expected):
    assert reading(text, direction) == expected


@pytest.mark.parametrize("text", ["30 februari", "vecka 54", "v 0", "kl 25", "den 32:a", "", "   ", "blå",
                                  "logga klotter", "om", "kvart i", "13-15-17"])
def test_what_does_not_exist_or_is_not_time_is_none(text):
    assert read_time(text, NOW, "future") is None


def test_school_breaks_come_from_configuration():
    breaks = {"sportlov": (8, 8), "jullov": (52, 1)}
    sportlov = read_time("sportlovet", NOW, "future", breaks)
    assert sportlov.as_json() == {"start": "2027-02-22T00:00", "end": "2027-03-01T00:00"}
    jullov = read_time("jullovet", NOW, "future", breaks)
    assert jullov.as_json() == {"start": "2026-12-21T00:00", "end": "2027-01-11T00:00"}
    assert read_time("sportlovet", NOW, "future") is None  # not configured: not guessed


@settings(max_examples=300, deadline=timedelta(milliseconds=500))
@given(st.text(max_size=10_000), st.sampled_from(["past", "future"]))
def test_any_text_reads_to_an_interval_or_none_without_raising(text, direction):
    interval = read_time(text, NOW, direction)
    assert interval is None or interval.start <= interval.end


@settings(max_examples=200, deadline=timedelta(milliseconds=500))
@given(st.lists(st.sampled_from(["kl", "19", "fredag", "v", "53", "i", "natt", "om", "tre", "dagar", "sedan",
                                 "halv", "åtta", "-", "/", "12", "december", "den", "20:e", "🙂", "\x00"]),
                max_size=8), st.sampled_from(["past", "future"]))
def test_time_like_word_salad_never_raises(words, direction):
    interval = read_time(" ".join(words), NOW, direction)
    assert interval is None or interval.start <= interval.end


@pytest.mark.parametrize("text,expected", [
    # What the bot itself writes back (interval_text) reads as the same interval, so a user can edit it.
    ("ons 25 nov 18:00–24:00", ("2026-11-25T18:00", "2026-11-26T00:00")),
    ("ons 25 nov kl 22:00", instant("2026-11-25T22:00")),
    ("ons 25 nov", day("2026-11-25")),
    ("onsdag den 25 november", day("2026-11-25")),
    ("ons 25/11", day("2026-11-25")),
    ("1.2.2027", day("2027-02-01")),
])
def test_a_weekday_before_a_date_only_repeats_it(text, expected):
    assert reading(text, "past") == expected


@pytest.mark.parametrize("text,direction,expected", [
    # approximate and everyday clock forms
    ("ca 22-tiden igår", "past", instant("2026-11-25T22:00")),
    ("igår ca kl 21", "past", instant("2026-11-25T21:00")),
    ("runt halv åtta", "past", instant("2026-11-26T07:30")),
    ("vid ca 7.30", "past", instant("2026-11-26T07:30")),
    ("kl 2300", "past", instant("2026-11-25T23:00")),
    ("söndag em", "past", ("2026-11-22T12:00", "2026-11-22T18:00")),
    ("fre fm", "future", ("2026-11-27T10:00", "2026-11-27T12:00")),
    ("i eftermiddags", "past", ("2026-11-26T12:00", "2026-11-26T18:00")),
    ("efter lunch idag", "future", ("2026-11-26T12:00", "2026-11-26T18:00")),
    # days in more forms
    ("tisdag v 50", "future", day("2026-12-08")),
    ("senast fredag nästa vecka", "future", day("2026-12-04")),
    ("nästa vecka onsdag", "future", day("2026-12-02")),
    ("till veckan", "future", ("2026-11-30T00:00", "2026-12-07T00:00")),
    ("i helgen som var", "past", ("2026-11-21T00:00", "2026-11-23T00:00")),
    ("i påskas", "past", ("2026-04-03T00:00", "2026-04-07T00:00")),
    ("före årsskiftet", "future", day("2026-12-31")),
    ("innan fredag", "future", day("2026-11-26")),  # "före X" is the day before X, as "före jul"
    ("till jul", "future", day("2026-12-24")),  # Christmas; July is "juli"
    ("natt till sön", "past", ("2026-11-22T00:00", "2026-11-22T06:00")),
    ("on Saturday", "past", day("2026-11-21")),  # English days follow the direction, as bare Swedish ones
    ("on Saturday", "future", day("2026-11-28")),
    ("tisdagens", "past", day("2026-11-24")),
    ("i jul", "past", day("2025-12-24")),
    ("jul 2027", "future", ("2027-07-01T00:00", "2027-08-01T00:00")),
    # windows and spans up to now (the rest of today included)
    ("sista 3 mån", "past", ("2026-08-27T00:00", "2026-11-27T00:00")),
    ("de sista tre veckorna", "past", ("2026-11-06T00:00", "2026-11-27T00:00")),
    ("senaste halvåret", "past", ("2026-05-27T00:00", "2026-11-27T00:00")),
    ("hittills i år", "past", ("2026-01-01T00:00", "2026-11-27T00:00")),
    ("sedan augusti", "past", ("2026-08-01T00:00", "2026-11-27T00:00")),
    ("sen i fredags", "past", ("2026-11-20T00:00", "2026-11-27T00:00")),
    ("sedan höstlovet", "past", ("2026-11-02T00:00", "2026-11-27T00:00")),  # a break: from its end
    ("i höstas", "past", ("2026-09-01T00:00", "2026-12-01T00:00")),  # in November: this autumn
])
def test_everyday_forms(text, direction, expected):
    assert reading(text, direction) == expected


@pytest.mark.parametrize("text", [
    "9an", "8:an", "7b", "åk 9", "klass 6a",  # school classes are never dates
    "30 februari", "31/11", "32 december", "v 54",  # no such day: a question, not a neighbouring date
    "före sportlovet",  # a break the configuration does not have
])
def test_what_is_not_a_time_reads_as_none(text):
    assert reading(text, "future") is None and reading(text, "past") is None


@pytest.mark.parametrize("text,direction,expected", [
    ("efter jul", "future", None),  # "klart efter jul" names no day: asked, never 31 juli
    ("efter höstlovet", "future", None),
    ("efter höstlovet", "past", ("2026-11-02T00:00", "2026-11-27T00:00")),  # from its end, not the break itself
    ("efter jul", "past", ("2025-12-25T00:00", "2026-11-27T00:00")),
    ("sedan sommarlovet", "past", ("2026-08-17T00:00", "2026-11-27T00:00")),  # weeks 25-33 unless configured
    ("under sommarlovet", "past", ("2026-06-15T00:00", "2026-08-17T00:00")),
    ("hela november", "past", ("2026-11-01T00:00", "2026-12-01T00:00")),
    ("hela året", "past", ("2026-01-01T00:00", "2027-01-01T00:00")),
    ("denna termin", "past", ("2026-08-01T00:00", "2027-01-01T00:00")),
    ("1-15 november", "past", ("2026-11-01T00:00", "2026-11-16T00:00")),  # the month is said once
    ("mellan 1 och 15 nov", "past", ("2026-11-01T00:00", "2026-11-16T00:00")),
    ("3–5 december", "future", ("2026-12-03T00:00", "2026-12-06T00:00")),
    ("mellan 9 och 11", "future", ("2026-11-27T09:00", "2026-11-27T11:00")),  # hours, not days
    ("kl 22-23 igår", "past", ("2026-11-25T22:00", "2026-11-25T23:00")),
    ("22-23 igår", "past", ("2026-11-25T22:00", "2026-11-25T23:00")),  # a month by name makes days of them
    ("efter helgen", "past", None),  # "glas efter helgen": the weekend itself, read without "efter"
    ("från i fredags", "past", day("2026-11-20")),  # "loggningar från i fredags": of that day
    ("från oktober", "past", ("2026-10-01T00:00", "2026-11-01T00:00")),
    ("från 1 oktober", "past", ("2026-10-01T00:00", "2026-11-27T00:00")),  # a date: since then
    ("första kvartalet i fjol", "past", ("2025-01-01T00:00", "2025-04-01T00:00")),
])
def test_after_whole_and_spans_of_days(text, direction, expected):
    assert reading(text, direction) == expected


@pytest.mark.parametrize("text,direction,expected", [
    ("senaste kvartalet", "past", ("2026-08-27T00:00", "2026-11-27T00:00")),
    ("den här terminen", "past", ("2026-08-01T00:00", "2027-01-01T00:00")),  # no term dates set: Aug–Dec
    ("förra terminen", "past", ("2026-01-01T00:00", "2026-07-01T00:00")),
    ("vårterminen", "future", ("2027-01-01T00:00", "2027-07-01T00:00")),
    ("hösten i år", "past", ("2026-09-01T00:00", "2026-12-01T00:00")),
    ("förra hösten", "past", ("2025-09-01T00:00", "2025-12-01T00:00")),
    ("igår efter skolan", "past", ("2026-11-25T12:00", "2026-11-25T18:00")),
    ("på lunchen", "past", ("2026-11-26T11:00", "2026-11-26T13:00")),
    ("mellan 10/11 och 20/11", "past", ("2026-11-10T00:00", "2026-11-21T00:00")),
    ("december–februari", "future", ("2026-12-01T00:00", "2027-03-01T00:00")),
    ("31/12 2027", "future", day("2027-12-31")),
    ("31/12 9999", "future", None),  # a year that far away is a typo, not read
    ("ca 20", "past", None),  # a bare number is a count ("ca 20 ungdomar"), not a day
])
def test_terms_quarters_school_days_and_years(text, direction, expected):
    assert reading(text, direction) == expected
