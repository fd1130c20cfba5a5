"""The bot's tables as SQLAlchemy 2 declarative models, one module per topic.

Importing this package registers every table on ``Base.metadata`` (Alembic's env relies on it), and names
every model, type and vocabulary here, so ``from storage.models import X`` does not depend on the split.
The shared vocabularies (parties, kinds, statuses) come from ``domain.vocabulary``.
"""

from __future__ import annotations

from domain.vocabulary import ActionStatus, ActionUpdateKind, ObservationKind, Party, ResponsibleParty
from storage.models.actions import Action, ActionUpdate, CitizenPromise
from storage.models.base import NAMING_CONVENTION, Base, BigId, JsonDocument, UtcDateTime, one_of, utcnow
from storage.models.bookkeeping import AuditEntry, BotStateRow, SequenceCounter
from storage.models.catalog import CatalogChange, CatalogChangeKind, CatalogKind, FocusArea, Forum
from storage.models.delivery import (
    ConversationReference,
    ConversationType,
    OutboxMessage,
    OutboxState,
    PersonalReminder,
)
from storage.models.meetings import Meeting, MeetingSeries, MeetingSource
from storage.models.members import Member, MemberIdentity
from storage.models.observations import Observation

__all__ = [
    "NAMING_CONVENTION",
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "ActionUpdateKind",
    "AuditEntry",
    "Base",
    "BigId",
    "BotStateRow",
    "CatalogChange",
    "CatalogChangeKind",
    "CatalogKind",
    "CitizenPromise",
    "ConversationReference",
    "ConversationType",
    "FocusArea",
    "Forum",
    "JsonDocument",
    "Meeting",
    "MeetingSeries",
    "MeetingSource",
    "Member",
    "MemberIdentity",
    "Observation",
    "ObservationKind",
    "OutboxMessage",
    "OutboxState",
    "Party",
    "PersonalReminder",
    "ResponsibleParty",
    "SequenceCounter",
    "UtcDateTime",
    "one_of",
    "utcnow",
]
