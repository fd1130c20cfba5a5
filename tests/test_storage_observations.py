"""The observation log and the lägesbild query, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from storage import Database, MemberRepository
from storage.models import Observation
from storage.observations import ObservationDraft, ObservationRepository
from storage.situation import load_picture
from tests.support.seed import seed

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


async def _prepare(database: Database):
    members = await seed(database, at=T0, members=(("Anna Åberg", "kommun", "Samordnare"),
                                                   ("Olle Polis", "polis", "Kommunpolis")))
    return members["Anna Åberg"], members["Olle Polis"]


def _draft(**changes) -> ObservationDraft:
    values = dict(focus_area="skadegorelse-skola", kind="handelse", occurred_start=T0 - timedelta(hours=12),
                  occurred_end=T0 - timedelta(hours=6), description="Klotter på skolgården",
                  source_party="kommun", place="Haganässkolan", place_key="haganasskolan")
    return ObservationDraft(**{**values, **changes})


async def test_add_numbers_and_is_idempotent_by_key(database: Database):
    anna_id, olle_id = await _prepare(database)
    async with database.session() as session:
        repo = ObservationRepository(session)
        anna = await MemberRepository(session).get(anna_id)
        first, created = await repo.add(_draft(), anna, at=T0, idempotency_key="card-1")
        again, created_again = await repo.add(_draft(description="annat"), anna, at=T0, idempotency_key="card-1")
        second, _ = await repo.add(_draft(), anna, at=T0)
        await session.commit()
        assert (created, created_again) == (True, False)
        assert again.id == first.id and again.description == "Klotter på skolgården"
        assert (first.number, second.number) == (1, 2)
        assert first.author_party == "kommun" and first.focus_area.code == "skadegorelse-skola"
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Observation)) == 2


async def test_correction_keeps_history_and_the_number(database: Database):
    anna_id, olle_id = await _prepare(database)
    async with database.session() as session:
        repo = ObservationRepository(session)
        anna, olle = await MemberRepository(session).get(anna_id), await MemberRepository(session).get(olle_id)
        await repo.add(_draft(), anna, at=T0)
        await session.commit()
        row = await repo.current(1)
        corrected = await repo.correct(row, {"place": "Diö torg", "place_key": "dio torg"}, olle,
                                       at=T0 + timedelta(days=2))
        await session.commit()
        assert corrected.number == row.number and corrected.supersedes_id == row.id
        assert corrected.author_party == "polis" and corrected.description == row.description
    async with database.session() as session:
        repo = ObservationRepository(session)
        current = await repo.current(1)
        assert current.place == "Diö torg"
        versions = await repo.history(1)
        assert [v.place for v in versions] == ["Haganässkolan", "Diö torg"]
        assert versions[0].replaced_at == T0 + timedelta(days=2)


async def test_a_removed_observation_is_kept_out_of_the_log_and_can_be_restored(database: Database):
    anna_id, _ = await _prepare(database)
    async with database.session() as session:
        repo = ObservationRepository(session)
        anna = await MemberRepository(session).get(anna_id)
        row, _ = await repo.add(_draft(), anna, at=T0)
        await repo.delete(row, at=T0 + timedelta(minutes=20))
        await session.commit()
    window = (T0 - timedelta(days=1), T0 + timedelta(days=1))
    async with database.session() as session:
        repo = ObservationRepository(session)
        assert await repo.between(*window) == []
        assert (await repo.by_author(anna_id))[1] == 0
        removed = await repo.current(row.number)
        assert removed.deleted_at == T0 + timedelta(minutes=20)
        await repo.restore(removed)
        await session.commit()
    async with database.session() as session:
        repo = ObservationRepository(session)
        assert [o.number for o in await repo.between(*window)] == [row.number]
        assert (await repo.current(row.number)).deleted_at is None


async def test_picture_counts_known_generated_data(database: Database):
    """Generated log with counts known in advance: per focus area and kind, both periods, places, days."""
    anna_id, _ = await _prepare(database)
    end = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # 27 Nov 00:00 local
    start, previous_start = end - timedelta(days=30), end - timedelta(days=60)
    rng = random.Random(7)
    expected: dict[tuple[str, str], list[int]] = {}
    expected_days: dict[date, int] = {}
    places = ["Haganässkolan", "haganasskolan", "Diö torg", "Centrum", None]
    async with database.session() as session:
        repo = ObservationRepository(session)
        anna = await MemberRepository(session).get(anna_id)
        for _ in range(300):
            when = previous_start - timedelta(days=5) + timedelta(minutes=rng.randrange(70 * 24 * 60))
            focus = rng.choice(["andts", "trygga-unga", "skadegorelse-skola"])
            kind = rng.choice(["handelse", "iakttagelse"])
            place = rng.choice(places)
            row, _ = await repo.add(_draft(focus_area=focus, kind=kind, occurred_start=when, occurred_end=None,
                                           place=place, place_key=place and place.casefold().replace("ä", "a")
                                           .replace("ö", "o")), anna, at=T0)
            if rng.random() < 0.1:  # undone: never counted
                await repo.delete(row, at=T0)
                continue
            if previous_start <= when < end:
                expected.setdefault((focus, kind), [0, 0])[0 if when >= start else 1] += 1
            if start <= when < end:
                day = when.astimezone(STOCKHOLM).date()
                expected_days[day] = expected_days.get(day, 0) + 1
        # A correction moves one observation: its old version must not count twice.
        moved = await repo.current(1)
        if moved.deleted_at is None:
            old_key = (moved.focus_area.code, moved.kind)
            in_window = previous_start <= moved.occurred_start < end
            await repo.correct(moved, {"focus_area": "andts", "kind": "statistik",
                                       "occurred_start": end - timedelta(hours=1)}, anna, at=T0)
            if in_window:
                expected[old_key][0 if moved.occurred_start >= start else 1] -= 1
                if moved.occurred_start >= start:
                    day = moved.occurred_start.astimezone(STOCKHOLM).date()
                    expected_days[day] -= 1
            expected.setdefault(("andts", "statistik"), [0, 0])[0] += 1
            last_day = (end - timedelta(hours=1)).astimezone(STOCKHOLM).date()
            expected_days[last_day] = expected_days.get(last_day, 0) + 1
        await session.commit()

    async with database.session() as session:
        picture = await load_picture(session, start=start, end=end, previous_start=previous_start,
                                     timezone="Europe/Stockholm")
    got = {(t.focus_area, t.kind): [t.count, t.previous] for t in picture.tallies}
    assert got == {key: value for key, value in expected.items() if value != [0, 0]}
    assert dict(picture.per_day) == {day: n for day, n in expected_days.items() if n}
    assert picture.total == sum(v[0] for v in expected.values())
    # "Haganässkolan" and "haganasskolan" are one place.
    assert picture.places[0].place.casefold().startswith("hagan")
    assert {p.place.casefold() for p in picture.places} <= {"haganässkolan", "haganasskolan", "diö torg", "centrum"}
    assert len(picture.latest) == 5
    assert [o.occurred_start for o in picture.latest] == sorted((o.occurred_start for o in picture.latest),
                                                                reverse=True)

    async with database.session() as session:
        andts = await load_picture(session, start=start, end=end, previous_start=previous_start,
                                   timezone="Europe/Stockholm", focus_area="andts")
        dio = await load_picture(session, start=start, end=end, previous_start=previous_start,
                                 timezone="Europe/Stockholm", place="Diö", place_key="dio")
    assert {t.focus_area for t in andts.tallies} == {"andts"}
    assert andts.total == sum(v[0] for k, v in expected.items() if k[0] == "andts")
    assert [p.place for p in dio.places] == ["Diö torg"]


async def test_per_day_is_local_across_the_dst_change(database: Database):
    """Europe/Stockholm leaves summer time on 25 Oct 2026: 00:30 local that night is 22:30 UTC the day before."""
    anna_id, _ = await _prepare(database)
    times = [datetime(2026, 10, 24, 22, 30, tzinfo=UTC),  # 25 Oct 00:30 CEST
             datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # 26 Oct 00:30 CET
             datetime(2026, 10, 25, 22, 30, tzinfo=UTC)]  # 25 Oct 23:30 CET
    async with database.session() as session:
        anna = await MemberRepository(session).get(anna_id)
        for when in times:
            await ObservationRepository(session).add(_draft(occurred_start=when), anna, at=T0)
        await session.commit()
        picture = await load_picture(session, start=datetime(2026, 10, 20, tzinfo=UTC),
                                     end=datetime(2026, 10, 30, tzinfo=UTC),
                                     previous_start=datetime(2026, 10, 10, tzinfo=UTC), timezone="Europe/Stockholm")
    assert picture.per_day == [(date(2026, 10, 25), 2), (date(2026, 10, 26), 1)]
