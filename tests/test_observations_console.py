"""Guided and one-sentence logging through the console channel: the same handler, dialog state in the
database (so a restart mid-conversation loses nothing), answers read in Swedish."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.channels.console import CHANNEL_ID, ConsoleAdapter, console_user_key
from bot.runtime import build_runtime
from bot.turn_errors import turn_error_handler
from domain.clock import FixedClock
from storage import MemberRepository, models
from tests.support.bot_server import settings_for


class Console:
    """One member typing into ``samverkan chat``, with what the bot wrote collected per line typed."""

    def __init__(self, database_url: str, clock: FixedClock):
        self.database_url, self.clock = database_url, clock
        self.written: list[str] = []

    async def start(self) -> Console:
        self.runtime = await build_runtime(settings_for(self.database_url), self.clock, serving=False)
        self.adapter = ConsoleAdapter(self.written.append, turn_error_handler(self.runtime.collaboration))
        async with self.runtime.database.session() as session:
            members = MemberRepository(session)
            found = await members.find_by_name("Olle Polis")
            self.member = found[0] if found else await members.add("Olle Polis", "polis", "kommunpolis")
            if await members.by_identity(CHANNEL_ID, console_user_key(self.member.id)) is None:
                await members.add_identity(self.member, CHANNEL_ID, console_user_key(self.member.id))
            await session.commit()
        return self

    async def say(self, text: str) -> str:
        self.written.clear()
        await self.adapter.say(text, member_id=self.member.id, member_name=self.member.name,
                               logic=self.runtime.bot.on_turn)
        return "\n".join(self.written)

    async def observations(self) -> list[models.Observation]:
        async with self.runtime.database.session() as session:
            return list((await session.scalars(select(models.Observation).order_by(models.Observation.id))).all())


@pytest.fixture
async def console(database):
    chat = await Console(database.url, FixedClock()).start()
    yield chat
    await chat.runtime.close()


async def test_guided_logging_asks_only_for_what_is_missing_and_saves_on_ja(console):
    assert "Vilket fokusområde" in await console.say("logga")
    assert "När hände det" in await console.say("2")  # Kommun fri från våld
    assert "Var hände det" in await console.say("igår kväll")
    assert "Vad hände" in await console.say("Diö torg")
    assert "Vilken typ" in await console.say("Bråk mellan två grupper ungdomar, vakter ingrep")
    reading = await console.say("händelse")  # the source is the writer's party; not asked, changeable
    assert "Fokusområde: Kommun fri från våld" in reading
    assert "När: ons 25 nov 18:00–24:00" in reading
    assert "Var: Diö torg" in reading and "Källa: Lokalpolisområde Ljungby" in reading
    reading = await console.say("ändra tid till kl 22")
    assert "När: ons 25 nov kl 22:00" in reading
    saved = await console.say("ja")
    assert saved.startswith("Sparat som #O1, loggat av Olle Polis")
    [row] = await console.observations()
    assert (row.kind, row.place, row.source_party, row.author_party) == ("handelse", "Diö torg", "polis", "polis")
    assert row.description == "Bråk mellan två grupper ungdomar, vakter ingrep"


async def test_one_sentence_shows_the_reading_and_a_typo_in_the_answer_is_asked_again(console):
    reading = await console.say("logga skadegörelse på Haganässkolan igår kväll")
    assert reading.startswith("Så här läser jag det:")
    assert "Skadegörelser i skolmiljö" in reading and "Var: Haganässkolan" in reading
    assert "Svara ”ja”" in await console.say("kanske")
    assert await console.observations() == []
    assert (await console.say("✅")).startswith("Sparat som #O1")


async def test_cancel_at_any_step_stores_nothing(console):
    await console.say("logga")
    await console.say("ANDTS")
    assert "Inget har sparats" in await console.say("avbryt")
    assert await console.observations() == []
    assert "Det finns inget pågående" in await console.say("avbryt")


async def test_a_privacy_slip_in_an_answer_is_refused_and_asked_again_quietly(console):
    await console.say("logga ANDTS vid Diö torg igår")
    reply = await console.say("ändra beskrivning till Lisa Svensson i 8B, 14 år, sålde snus")
    assert "namn" in reply and "skolklass tillsammans med en ålder" in reply and "Inget har sparats" in reply
    assert "Så här läser jag det" in reply  # the draft is shown again, as it was
    async with console.runtime.database.session() as session:
        state = " ".join((await session.scalars(select(models.BotStateRow.document))).all())
    assert "Svensson" not in state and "14 år" not in state
    reading = await console.say("ändra beskrivning till Snusförsäljning till unga vid torget")
    assert "Vad: Snusförsäljning till unga vid torget" in reading


async def test_the_conversation_survives_a_restart(console, database):
    await console.say("logga")
    await console.say("skadegörelse")
    await console.runtime.close()
    restarted = await Console(database.url, console.clock).start()
    try:
        assert "Var hände det" in await restarted.say("igår")
        assert "Vad hände" in await restarted.say("Linnéskolan")
        await restarted.say("Fönster krossat på baksidan")
        reading = await restarted.say("1")
        assert "Var: Linnéskolan" in reading
        assert (await restarted.say("ja")).startswith("Sparat som #O1")
        async with restarted.runtime.database.session() as session:
            assert await session.scalar(select(func.count()).select_from(models.Observation)) == 1
    finally:
        await restarted.runtime.close()
        console.runtime = restarted.runtime


async def test_yes_as_people_write_it_and_a_polite_correction(console):
    await console.say("logga klotter på Linnéskolan igår kväll")
    assert "När: ons 25 nov kl 21:00" in await console.say("kan du ändra tiden till kl 21 istället")
    assert (await console.say("ja det stämmer")).startswith("Sparat som #O1")


async def test_a_new_message_while_a_draft_waits_is_answered_and_the_draft_said_unsaved(console):
    await console.say("logga klotter på Linnéskolan igår kväll")
    reply = await console.say("vilka åtgärder är försenade")
    assert "(Utkastet" in reply and "sparades inte" in reply and "Försenade åtgärder" in reply
    assert await console.observations() == []


async def test_a_whole_sentence_given_as_the_place_keeps_only_the_place(console):
    await console.say("logga")
    await console.say("ANDTS")
    await console.say("igår efter skolan")  # an afternoon
    assert "Vad hände" in await console.say("det var vid busshållplatsen i Diö där de brukar stå")
    await console.say("Ungdomar rökte och drack")
    reading = await console.say("iakttagelse")
    assert "Var: busshållplatsen i Diö" in reading and "När: ons 25 nov 12:00–18:00" in reading


async def test_a_lagesbild_finds_a_place_by_the_municipalitys_name_and_by_a_synonym(console):
    reading = await console.say("logga: vejp på toaletten på elme igår kväll, ANDTS")
    assert "- Var: toaletten på elme" in reading
    assert "Sparat som #O1" in await console.say("ja")
    for asked in ("lägesbild Elmeskolan", "lägesbild elme"):
        answer = await console.say(asked)
        assert "#O1" in answer, (asked, answer)


async def test_a_command_naming_a_saved_observation_is_not_taken_as_the_time(console):
    await console.say("logga klotter på Linnéskolan igår kväll")
    assert (await console.say("ja")).startswith("Sparat som #O1")
    await console.say("logga")
    assert "När hände det" in await console.say("ANDTS")
    [saved] = await console.observations()
    reply = await console.say("ändra #O1 tid till fredag eftermiddag")
    assert "Loggningen väntar fortfarande" in reply
    old, new = await console.observations()  # a correction is a new version of #O1; no new observation
    assert (old.number, new.number, new.supersedes_id) == (1, 1, saved.id) and old.replaced_at is not None
    assert new.occurred_start != saved.occurred_start and new.occurred_start.weekday() == 4
    assert "Var hände det" in await console.say("igår kväll")  # the draft kept its focus area
    await console.say("Diö torg")
    await console.say("Ungdomar rökte och drack")
    reading = await console.say("iakttagelse")
    assert "Fokusområde: ANDTS" in reading and "Var: Diö torg" in reading
    assert (await console.say("ja")).startswith("Sparat som #O2")
    assert [row.number for row in await console.observations()] == [1, 1, 2]


async def test_a_place_given_as_the_time_is_kept_and_the_time_asked_again(console):
    await console.say("logga")
    await console.say("ANDTS")
    reply = await console.say("vid Ica Maxi parkeringen")
    assert "Jag har noterat platsen Ica Maxi parkeringen" in reply and "När hände det" in reply
    assert "lämnar loggningen" not in reply
    assert "Vad hände" in await console.say("igår kväll")  # the place is not asked again
    await console.say("Ungdomar rökte och drack")
    reading = await console.say("iakttagelse")
    assert "Var: Ica Maxi parkeringen" in reading and "Fokusområde: ANDTS" in reading
    assert (await console.say("ja")).startswith("Sparat som #O1")
    [row] = await console.observations()
    assert row.place == "Ica Maxi parkeringen"


async def test_a_street_near_a_landmark_is_saved_whole(console):
    assert "Vilket fokusområde" in await console.say(
        "logga mopedbuskörning på Carl Linnés väg vid IKEA museum igår kväll")
    reading = await console.say("Trygga unga")
    assert "- Var: Carl Linnés väg vid IKEA museum" in reading, reading
    assert (await console.say("ja")).startswith("Sparat som #O1")
    [row] = await console.observations()
    assert row.place == "Carl Linnés väg vid IKEA museum"


async def test_a_landmark_in_a_known_place_is_kept_with_it(console):
    reading = await console.say("logga ANDTS i Haganäsparken vid lekplatsen igår kväll")
    assert "- Var: Haganäsparken vid lekplatsen" in reading, reading
    assert (await console.say("ja")).startswith("Sparat som #O1")
    [row] = await console.observations()
    assert row.place == "Haganäsparken vid lekplatsen"


async def test_a_house_number_with_a_letter_is_kept_with_its_street(console):
    reading = await console.say("logga ANDTS på Kungsgatan 12B igår kväll")
    assert "- Var: Kungsgatan 12B" in reading, reading
    assert (await console.say("ja")).startswith("Sparat som #O1")
    [row] = await console.observations()
    assert row.place == "Kungsgatan 12B"


async def test_a_failure_after_the_save_says_it_was_saved_not_that_nothing_was(console, monkeypatch):
    """A fault after the use case committed (here, right after it) must not tell the user "inget har sparats":
    they would log it again."""
    from dialogs import log_observation

    real = log_observation.save_observation

    async def saved_then_broken(*args, **kwargs):
        await real(*args, **kwargs)
        raise RuntimeError("a fault after the commit")

    monkeypatch.setattr(log_observation, "save_observation", saved_then_broken)
    await console.say("logga skadegörelse på Haganässkolan igår kväll")
    answer = await console.say("ja")
    assert "Det du gjorde har sparats" in answer and "inget har sparats" not in answer
    assert len(await console.observations()) == 1


async def test_a_failure_after_only_reading_says_nothing_was_saved(console, monkeypatch):
    """Reading the lägesbild commits its audit entry, but saves nothing the user did: a failure after it is
    "inget har sparats", not "Det du gjorde har sparats"."""
    from dialogs import lagesbild

    def broken(*args, **kwargs):
        raise RuntimeError("a fault after the read")

    monkeypatch.setattr(lagesbild, "situation_text", broken)
    answer = await console.say("lägesbild")
    assert "inget har sparats" in answer and "Det du gjorde har sparats" not in answer


async def test_a_failure_before_the_save_says_nothing_was_saved(console, monkeypatch):
    from dialogs import log_observation

    async def broken(*args, **kwargs):
        raise RuntimeError("a fault before the commit")

    monkeypatch.setattr(log_observation, "save_observation", broken)
    await console.say("logga skadegörelse på Haganässkolan igår kväll")
    answer = await console.say("ja")
    assert "inget har sparats" in answer and "Det du gjorde har sparats" not in answer
    assert await console.observations() == []


async def test_markera_som_kanslig_before_ja_saves_it_sensitive(console):
    await console.say("logga skadegörelse på Haganässkolan igår kväll")
    reading = await console.say("markera som känslig")
    assert "Känslig: ja, visas bara för din part och administratörer" in reading
    saved = await console.say("ja")
    assert saved.startswith("Sparat som #O1") and "Markerad som känslig" in saved
    [row] = await console.observations()
    assert row.sensitive and row.author_party == "polis"
    assert (await console.say("ändra #O1 plats till Diö torg")).startswith("Rättat")
    assert all(row.sensitive for row in await console.observations())  # the correction keeps the mark
