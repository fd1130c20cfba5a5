"""The shared vocabulary: every value has its Swedish name, and the database allows exactly these values."""

from __future__ import annotations

import re

from domain import vocabulary
from domain.vocabulary import (
    KIND_NAMES,
    OPEN,
    OPEN_STATUSES,
    PARTY_NAMES,
    STATUS_NAMES,
    ActionStatus,
    ObservationKind,
    Party,
    ResponsibleParty,
)
from storage import models


def test_every_value_has_a_swedish_name():
    assert set(STATUS_NAMES) == {status.value for status in ActionStatus}
    assert set(KIND_NAMES) == {kind.value for kind in ObservationKind}
    assert set(PARTY_NAMES) == {party.value for party in ResponsibleParty}
    assert {party.value for party in Party} < set(PARTY_NAMES)


def test_open_statuses_are_planned_and_ongoing_as_plain_strings():
    assert OPEN_STATUSES == ("planerad", "pagaende")
    assert OPEN == frozenset(OPEN_STATUSES)
    assert all(type(status) is str for status in OPEN_STATUSES)
    assert all(type(key) is str for key in (*STATUS_NAMES, *KIND_NAMES, *PARTY_NAMES))


def _allowed(table: str, column: str) -> set[str]:
    for constraint in models.Base.metadata.tables[table].constraints:
        sql = str(getattr(constraint, "sqltext", ""))
        if sql.startswith(f"{column} IN "):
            return set(re.findall(r"'([^']*)'", sql))
    raise AssertionError(f"no CHECK on {table}.{column}")


def test_the_check_constraints_allow_exactly_the_vocabulary():
    assert _allowed("actions", "status") == set(STATUS_NAMES)
    assert _allowed("actions", "responsible_party") == set(PARTY_NAMES)
    assert _allowed("observations", "kind") == set(KIND_NAMES)
    assert _allowed("observations", "source_party") == {party.value for party in Party}
    assert _allowed("members", "party") == {party.value for party in Party}
    assert _allowed("action_updates", "kind") == {kind.value for kind in vocabulary.ActionUpdateKind}


def test_the_old_import_places_name_the_same_objects():
    from domain.rules import actions as rules
    from storage import actions as repository

    assert rules.STATUS_NAMES is STATUS_NAMES and rules.PARTY_NAMES is PARTY_NAMES and rules.OPEN is OPEN
    assert repository.OPEN_STATUSES is OPEN_STATUSES
    assert models.ActionStatus is ActionStatus and models.Party is Party
