"""The closed vocabularies the collaboration speaks: parties, observation kinds, action statuses.

One source for the values the database stores (its CHECK constraints are built from these enums), the
rules test and the replies name in Swedish, so adding a value is one edit here and one migration.
The values are ASCII codes; what people read is in the ``*_NAMES`` mappings.
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    """Who a member, an observation's source or its author belongs to."""

    KOMMUN = "kommun"
    POLIS = "polis"


class Access(StrEnum):
    """What a member may do besides being an admin (``is_admin``): everything, read only, or report only."""

    MEMBER = "member"
    READER = "reader"  # "läsare": follows the lägesbild and the action plan, logs and changes nothing
    REPORTER = "reporter"  # "rapportör": logs observations and sees their own, nothing else


class ResponsibleParty(StrEnum):
    """Who answers for an action: either party, or both together."""

    KOMMUN = "kommun"
    POLIS = "polis"
    GEMENSAM = "gemensam"


class ObservationKind(StrEnum):
    HANDELSE = "handelse"
    IAKTTAGELSE = "iakttagelse"
    MEDBORGARDIALOG = "medborgardialog"
    MEDARBETARDIALOG = "medarbetardialog"
    STATISTIK = "statistik"


class ActionStatus(StrEnum):
    PLANERAD = "planerad"
    PAGAENDE = "pagaende"
    KLAR = "klar"
    INSTALLD = "installd"


class ActionUpdateKind(StrEnum):
    """What one entry in an action's history records."""

    CREATED = "created"
    COMMENT = "comment"
    STATUS = "status"
    POSTPONED = "postponed"
    REASSIGNED = "reassigned"
    CANCELLED = "cancelled"


# Plain strings (not enum members) so they compare, hash and render as the stored values do.
OPEN_STATUSES: tuple[str, ...] = (ActionStatus.PLANERAD.value, ActionStatus.PAGAENDE.value)
OPEN = frozenset(OPEN_STATUSES)

STATUS_NAMES = {ActionStatus.PLANERAD.value: "planerad", ActionStatus.PAGAENDE.value: "pågående",
                ActionStatus.KLAR.value: "klar", ActionStatus.INSTALLD.value: "inställd"}
# The definite form, as a sentence names a party: "polisens medlemmar", "ansvarig: kommunen".
PARTY_NAMES = {ResponsibleParty.KOMMUN.value: "kommunen", ResponsibleParty.POLIS.value: "polisen",
               ResponsibleParty.GEMENSAM.value: "gemensamt"}
KIND_NAMES = {
    ObservationKind.HANDELSE.value: "händelse",
    ObservationKind.IAKTTAGELSE.value: "iakttagelse",
    ObservationKind.MEDBORGARDIALOG.value: "medborgardialog",
    ObservationKind.MEDARBETARDIALOG.value: "medarbetardialog",
    ObservationKind.STATISTIK.value: "statistik",
}
