"""Lists and the pre-meeting summary in the console: it renders no cards, so the whole content is the text
(Teams gets it in a card with only a one-line summary beside it; see test_actions_teams)."""

from __future__ import annotations

from datetime import date, timedelta

from storage.actions import ActionRepository, NewAction
from tests.test_observations_console import console  # noqa: F401  (the fixture)

TODAY = date(2026, 11, 26)  # FixedClock: Thursday 26 November 2026


async def test_the_overdue_list_and_the_meeting_summary_are_written_out_in_full(console):  # noqa: F811
    async with console.runtime.database.session() as session:
        late = await ActionRepository(session).add(
            NewAction("Trygghetsvandring i centrum", "kommun", TODAY - timedelta(days=11)), None,
            at=console.runtime.clock.now())
        await session.commit()
    listing = await console.say("vilka åtgärder är försenade")
    assert listing.startswith("Försenade åtgärder (1):\n")
    assert f"- #{late.number} Trygghetsvandring i centrum – kommunen, senast 15 nov, 11 dagar sen" in listing
    summary = await console.say("underlag inför operativa BRÅ")
    assert summary.startswith("Inget möte för Operativa BRÅ är inlagt")
    assert f"Försenade åtgärder (1):\n- #{late.number} Trygghetsvandring i centrum" in summary
