"""The lägesbild chart: real rendering with matplotlib's Agg canvas, read back with Pillow."""

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image

from dialogs.render.chart import _LABEL_WIDTH, _days, _short_date, _ticks, situation_chart
from dialogs.render.chart_style import wrap_label
from storage.situation import Picture, Tally

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLE = "Lägesbild ANDTS, 27 okt – 26 nov 2026"
# 27 okt – 26 nov 2026 in Stockholm: the period crosses the end of summer time (25 okt) only in the previous one.
START = datetime(2026, 10, 26, 23, tzinfo=UTC)
END = datetime(2026, 11, 26, 23, tzinfo=UTC)


def picture(start=START, end=END, *, tallies=None, per_day=None) -> Picture:
    if tallies is None:
        tallies = [
            Tally("andts", "ANDTS", "handelse", 12, 8),
            Tally("andts", "ANDTS", "iakttagelse", 5, 9),
            Tally("trygghet", "Trygghet i centrum", "handelse", 20, 11),
            Tally("ungdom", "Ungdomar i riskmiljö", "atgard", 3, 0),
            Tally("klotter", "Skadegörelse och klotter", "handelse", 0, 4),
        ]
    if per_day is None:
        first = start.astimezone(UTC).date() + timedelta(days=1)
        per_day = [(first + timedelta(days=offset), 1 + offset % 4) for offset in range(0, (end - start).days, 3)]
    return Picture(start=start, end=end, previous_start=start - (end - start), tallies=tallies, per_day=per_day)


def image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    loaded = Image.open(io.BytesIO(png))
    loaded.load()  # decodes every chunk: a truncated or corrupt PNG fails here
    return loaded


def ink(png: bytes) -> float:
    """Share of pixels that are not white."""
    pixels = image(png).convert("L").getdata()
    return sum(1 for value in pixels if value < 250) / len(pixels)


def test_a_typical_picture_is_a_png_of_1000_by_450():
    png = situation_chart(picture(), title=TITLE)
    assert image(png).size == (1000, 450)
    assert image(png).format == "PNG"


def test_an_empty_picture_still_gives_a_png():
    empty = Picture(start=START, end=END, previous_start=START - (END - START))
    png = situation_chart(empty, title=TITLE)
    assert image(png).size == (1000, 450)
    assert ink(png) < 0.02 < ink(situation_chart(picture(), title=TITLE))  # a title and one line of text


def test_tallies_of_zero_in_both_periods_count_as_empty():
    zeros = picture(tallies=[Tally("andts", "ANDTS", "handelse", 0, 0)], per_day=[])
    empty = Picture(start=START, end=END, previous_start=START - (END - START))
    assert situation_chart(zeros, title=TITLE) == situation_chart(empty, title=TITLE)


def test_only_the_previous_period_had_observations():
    png = situation_chart(picture(tallies=[Tally("andts", "ANDTS", "handelse", 0, 7)], per_day=[]), title=TITLE)
    assert image(png).size == (1000, 450)


def test_the_same_picture_gives_the_same_bytes_without_timestamps_or_versions():
    first = situation_chart(picture(), title=TITLE)
    assert situation_chart(picture(), title=TITLE) == first
    assert situation_chart(picture(), title=TITLE + ".") != first
    assert "Software" not in image(first).info
    assert b"matplotlib" not in first.lower()


def test_charts_render_side_by_side_in_worker_threads():
    pictures = [picture(), picture(per_day=[]), picture(START - timedelta(days=335))] * 2
    expected = [situation_chart(each, title=TITLE) for each in pictures]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda each: situation_chart(each, title=TITLE), pictures)) == expected


def test_a_30_day_period_fills_the_days_without_observations_with_zero():
    days = _days(picture(per_day=[(date(2026, 11, 3), 4), (date(2026, 11, 26), 2)]), STOCKHOLM)
    assert (days[0], days[-1]) == ((date(2026, 10, 27), 0), (date(2026, 11, 26), 2))
    assert len(days) == 31 and sum(count for _, count in days) == 6 and dict(days)[date(2026, 11, 3)] == 4
    assert image(situation_chart(picture(), title=TITLE)).size == (1000, 450)


def test_local_dates_follow_summer_time():
    # 30 mar – 5 apr 2026 in Stockholm: summer time starts on 29 mar, so midnight is 22:00 UTC.
    week = picture(datetime(2026, 3, 29, 22, tzinfo=UTC), datetime(2026, 4, 5, 22, tzinfo=UTC), per_day=[])
    days = _days(week, STOCKHOLM)
    assert [day for day, _ in days] == [date(2026, 3, 30) + timedelta(days=offset) for offset in range(7)]


def test_a_counted_day_outside_the_period_is_still_drawn():
    days = _days(picture(per_day=[(date(2026, 10, 20), 1)]), STOCKHOLM)
    assert days[0] == (date(2026, 10, 20), 1) and days[-1][0] == date(2026, 11, 26)


def test_a_365_day_period_renders_with_month_labels():
    start = datetime(2025, 11, 26, 23, tzinfo=UTC)
    year = picture(start, END, per_day=[(date(2025, 11, 27) + timedelta(days=n), n % 9) for n in range(365)])
    png = situation_chart(year, title="Lägesbild, 27 nov 2025 – 26 nov 2026")
    assert image(png).size == (1000, 450)
    labels = [_short_date(day, 2026) for _, day in _ticks([day for day, _ in _days(year, STOCKHOLM)])]
    assert labels == ["1 dec 2025", "1 feb", "1 apr", "1 juni", "1 aug", "1 okt"]


def test_day_labels_are_short_swedish_dates():
    month = [date(2026, 10, 27) + timedelta(days=offset) for offset in range(31)]
    assert [_short_date(day, 2026) for _, day in _ticks(month)] == ["2 nov", "9 nov", "16 nov", "23 nov"]
    week = month[:7]
    assert [_short_date(day, 2026) for _, day in _ticks(week)][:2] == ["27 okt", "28 okt"]


def test_long_and_many_focus_names_keep_the_size():
    name = "Förebyggande arbete mot organiserad brottslighet och rekrytering av unga till kriminella nätverk"
    tallies = [Tally(f"area{n}", f"{name} {n}", "handelse", n, 12 - n) for n in range(12)]
    png = situation_chart(picture(tallies=tallies), title="Lägesbild " + name * 2)
    assert image(png).size == (1000, 450)
    lines = wrap_label(name, _LABEL_WIDTH).split("\n")
    assert len(lines) == 2 and all(len(line) <= 22 for line in lines) and lines[1].endswith("…")
    assert wrap_label("ANDTS", _LABEL_WIDTH) == "ANDTS"



def test_the_day_axis_is_in_the_zone_the_picture_was_counted_in():
    # Midnight in Tokyo is 15:00 UTC the day before: drawn in Stockholm the axis would start a day early.
    tokyo = ZoneInfo("Asia/Tokyo")
    start, end = datetime(2026, 11, 19, 15, tzinfo=UTC), datetime(2026, 11, 26, 15, tzinfo=UTC)
    counted = replace(picture(start, end, per_day=[(date(2026, 11, 21), 2)]), timezone="Asia/Tokyo")
    assert [day for day, _ in _days(counted, tokyo)] == [date(2026, 11, 20) + timedelta(days=n) for n in range(7)]
    drawn = situation_chart(counted, title=TITLE)
    assert drawn == situation_chart(counted, title=TITLE, zone=tokyo)
    assert drawn != situation_chart(counted, title=TITLE, zone=STOCKHOLM)
