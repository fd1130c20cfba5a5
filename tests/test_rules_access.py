"""Who may do what by access level, without chat or SQL."""

from __future__ import annotations

from domain.rules.access import level, may, may_see_observation, may_see_sensitive, refusal, sensitive_parties
from domain.situation import Asker


def asker(access: str = "member", *, admin: bool = False, party: str = "kommun", member_id: int = 1) -> Asker:
    return Asker(member_id, "Test Testsson", party, "", admin, access)


def test_admins_and_members_may_do_everything():
    assert level(asker(admin=True, access="reader")) == "admin"
    for access in ("admin", "member"):
        assert may(access, "log_observation") and may(access, "complete_action") and may(access, "show_situation")


def test_a_reader_reads_and_changes_nothing():
    assert may("reader", "show_situation") and may("reader", "list_actions") and may("reader", "help")
    assert not may("reader", "log_observation") and not may("reader", "complete_action")
    assert not may("reader", "create_action") and not may("reader", "undo_observation")
    assert may("reader", "emergency")


def test_a_reporter_logs_and_sees_their_own():
    assert may("reporter", "log_observation") and may("reporter", "show_observation")
    assert not may("reporter", "show_situation") and not may("reporter", "list_actions")
    assert not may("reporter", "list_members") and not may("reporter", "next_meeting")
    assert may_see_observation(asker("reporter"), 1) and not may_see_observation(asker("reporter"), 2)
    assert may_see_observation(asker("reader"), 2)


def test_refusals_say_why_and_whom_to_ask():
    assert refusal("reader", "log_observation", "samordnaren") == (
        "Du har läsbehörighet och kan inte logga observationer. Fråga samordnaren om du behöver kunna det.")
    assert refusal("reporter", "show_situation", "samordnaren").startswith(
        "Du är rapportör och kan logga observationer och se dina egna, men inte se lägesbilden.")


def test_sensitive_observations_show_to_their_party_and_admins():
    assert may_see_sensitive(asker(party="polis"), "polis")
    assert not may_see_sensitive(asker(party="kommun"), "polis")
    assert may_see_sensitive(asker(party="kommun", admin=True), "polis")
    assert sensitive_parties(asker(party="kommun"), ("kommun", "polis")) == ("kommun",)
    assert sensitive_parties(asker(admin=True), ("kommun", "polis")) == ("kommun", "polis")
