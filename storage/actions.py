"""The action plan: actions with their history, the citizen promises they serve, and the agreement's deadlines.

Every change goes through this repository and writes an ``action_updates`` row in the same transaction,
so an action's history is complete by construction. Queries (``storage.action_queries``) return pages with a
total, so a long list is paged, never cut silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.vocabulary import OPEN_STATUSES, ActionStatus, ActionUpdateKind, ResponsibleParty
from storage.action_queries import ActionPage, ActionQuery, conditions, order, plain_text, with_relations
from storage.models import Action, ActionUpdate, CitizenPromise, FocusArea, Forum, Member
from storage.sequences import next_number

# Importable from here as before the queries got a module of their own.
__all__ = ["OPEN_STATUSES", "PROMISE_SEQUENCE", "SEQUENCE", "ActionPage", "ActionQuery", "ActionRepository",
           "NewAction", "PromiseRepository", "PromiseState", "plain_text", "responsible_label",
           "sync_deadline_actions"]

SEQUENCE = "action"
PROMISE_SEQUENCE = "promise"


@dataclass(frozen=True)
class NewAction:
    title: str
    responsible_party: str  # kommun, polis or gemensam
    due_date: date | None = None
    focus_area: str | None = None  # code
    responsible_member_id: int | None = None
    responsible_text: str | None = None  # someone outside the bot
    start_date: date | None = None
    status: str = ActionStatus.PLANERAD.value
    promise_id: int | None = None
    forum: str | None = None  # code
    deadline_code: str | None = None


@dataclass
class PromiseState:
    promise: CitizenPromise
    actions: list[Action] = field(default_factory=list)


class ActionRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, new: NewAction, author: Member | None, *, at: datetime, number: int | None = None,
                  load: bool = True) -> Action:
        """Create an action (the next number unless ``number`` is given, as an import does). Caller commits.

        ``load=False`` skips reading the new action back with its relations (an import of thousands)."""
        values: dict[str, Any] = {
            "title": new.title, "responsible_party": new.responsible_party, "due_date": new.due_date,
            "responsible_member_id": new.responsible_member_id, "responsible_text": new.responsible_text,
            "start_date": new.start_date, "status": new.status, "promise_id": new.promise_id,
            "deadline_code": new.deadline_code,
            "focus_area_id": await self._focus_id(new.focus_area), "forum_id": await self._forum_id(new.forum),
        }
        action = Action(number=number if number is not None else await next_number(self.session, SEQUENCE),
                        created_by_member_id=author.id if author else None, created_at=at, updated_at=at,
                        completed_at=at if new.status == ActionStatus.KLAR.value else None, **values)
        self.session.add(action)
        await self.session.flush()
        self._history(action, ActionUpdateKind.CREATED, author, at, new_value=new.status)
        await self.session.flush()
        return await self.get(action.number) if load else action

    async def get(self, number: int) -> Action | None:
        return await self.session.scalar(with_relations(select(Action)).where(Action.number == number))

    async def nearest(self, number: int, count: int = 3) -> list[Action]:
        """Actions whose numbers are closest to one that does not exist (a typo is usually one digit off)."""
        rows = await self.session.scalars(
            with_relations(select(Action)).order_by(func.abs(Action.number - number), Action.number).limit(count))
        return list(rows)

    async def page(self, query: ActionQuery) -> ActionPage:
        where = conditions(query)
        if query.title_stems:
            return await self._page_by_title(query, where)
        total = await self.session.scalar(select(func.count()).select_from(Action).where(*where))
        rows = await self.session.scalars(
            with_relations(select(Action)).where(*where).order_by(*order(query))
            .offset(query.offset).limit(query.limit))
        return ActionPage(list(rows), int(total or 0), query.offset, query.limit)

    async def _page_by_title(self, query: ActionQuery, where: list) -> ActionPage:
        """Words in the title, matched without case or diacritics the same way in SQLite and PostgreSQL: in
        Python, over the plan's matching actions (a plan holds tens of actions, not thousands)."""
        rows = await self.session.scalars(with_relations(select(Action)).where(*where).order_by(*order(query)))
        found = [action for action in rows if all(stem in plain_text(action.title) for stem in query.title_stems)]
        return ActionPage(found[query.offset:query.offset + query.limit], len(found), query.offset, query.limit)

    async def all(self) -> list[Action]:
        return list(await self.session.scalars(with_relations(select(Action)).order_by(Action.number)))

    async def set_status(self, action: Action, status: str, author: Member | None, *, at: datetime,
                         text: str | None = None) -> ActionUpdate:
        old = action.status
        action.status = status
        action.completed_at = at if status == ActionStatus.KLAR.value else None
        action.updated_at = at
        kind = ActionUpdateKind.CANCELLED if status == ActionStatus.INSTALLD.value else ActionUpdateKind.STATUS
        update = self._history(action, kind, author, at, text=text, old_value=old, new_value=status)
        await self.session.flush()
        return update

    async def postpone(self, action: Action, due: date | None, reason: str | None, author: Member | None, *,
                       at: datetime) -> ActionUpdate:
        """A new due date (``None`` only when an undo restores an action that had none)."""
        old = action.due_date
        action.due_date = due
        action.updated_at = at
        update = self._history(action, ActionUpdateKind.POSTPONED, author, at, text=reason,
                               old_value=_text(old), new_value=_text(due))
        await self.session.flush()
        return update

    async def reassign(self, action: Action, *, party: str, member: Member | None, text: str | None,
                       author: Member | None, at: datetime) -> ActionUpdate:
        old = responsible_label(action)
        action.responsible_party = party
        action.responsible_member_id = member.id if member else None
        action.responsible_member = member
        action.responsible_text = None if member else text
        action.updated_at = at
        update = self._history(action, ActionUpdateKind.REASSIGNED, author, at, old_value=old,
                               new_value=responsible_label(action))
        await self.session.flush()
        return update

    async def set_promise(self, action: Action, promise: CitizenPromise | None, author: Member | None, *,
                          at: datetime) -> None:
        """Link the action to a citizen promise, or unlink it (``None``); the history names the promise by number."""
        old = action.promise
        action.promise_id = promise.id if promise else None
        action.promise = promise
        action.updated_at = at
        text = f"kopplad till medborgarlöfte {promise.number}" if promise else \
            f"bortkopplad från medborgarlöfte {old.number}" if old else "bortkopplad från medborgarlöfte"
        self._history(action, ActionUpdateKind.COMMENT, author, at, text=text,
                      old_value=str(old.number) if old else None, new_value=str(promise.number) if promise else None)
        await self.session.flush()

    async def comment(self, action: Action, text: str, author: Member | None, *, at: datetime) -> None:
        action.updated_at = at
        self._history(action, ActionUpdateKind.COMMENT, author, at, text=text)
        await self.session.flush()

    async def update_fields(self, action: Action, changes: dict[str, Any], author: Member | None, *,
                            at: datetime) -> list[str]:
        """Apply an import row's changes; each changed field is one history entry, in words (names, dates),
        and a change of who is responsible is one entry however many columns it touches."""
        changed = []
        responsible_before = responsible_label(action)
        for name, value in changes.items():
            if name == "focus_area":
                name, value = "focus_area_id", await self._focus_id(value)
            elif name == "forum":
                name, value = "forum_id", await self._forum_id(value)
            old = getattr(action, name)
            if old == value:
                continue
            changed.append(name)
            if name == "status":
                await self.set_status(action, value, author, at=at, text="import")
                continue
            setattr(action, name, value)
            if name in _RESPONSIBLE:
                continue
            shown_old, shown_new = _text(old), _text(value)
            if name == "focus_area_id":
                shown_old, shown_new = await self._focus_name(old), await self._focus_name(value)
            self._history(action, _FIELD_KIND.get(name, ActionUpdateKind.COMMENT), author, at,
                          text=f"import: {_FIELD_NAMES.get(name, name)}", old_value=shown_old, new_value=shown_new)
        if changed:
            action.updated_at = at
            await self.session.flush()
            await self.session.refresh(action, ["focus_area", "responsible_member", "promise", "forum"])
            if _RESPONSIBLE.intersection(changed):
                self._history(action, ActionUpdateKind.REASSIGNED, author, at, text="import",
                              old_value=responsible_before, new_value=responsible_label(action))
                await self.session.flush()
        return changed

    async def _focus_name(self, focus_id: int | None) -> str | None:
        if focus_id is None:
            return None
        return await self.session.scalar(select(FocusArea.name).where(FocusArea.id == focus_id))

    async def history(self, action: Action) -> list[ActionUpdate]:
        return list(await self.session.scalars(
            select(ActionUpdate).options(selectinload(ActionUpdate.author))
            .where(ActionUpdate.action_id == action.id).order_by(ActionUpdate.id)))

    def _history(self, action: Action, kind: ActionUpdateKind, author: Member | None, at: datetime, *,
                 text: str | None = None, old_value: str | None = None, new_value: str | None = None
                 ) -> ActionUpdate:
        update = ActionUpdate(action_id=action.id, author_member_id=author.id if author else None, kind=kind.value,
                              text=text, old_value=old_value, new_value=new_value, created_at=at)
        self.session.add(update)
        return update

    async def _focus_id(self, code: str | None) -> int | None:
        if code is None:
            return None
        found = await self.session.scalar(select(FocusArea.id).where(FocusArea.code == code))
        if found is None:
            raise LookupError(f"unknown focus area {code!r}")
        return found

    async def _forum_id(self, code: str | None) -> int | None:
        if code is None:
            return None
        found = await self.session.scalar(select(Forum.id).where(Forum.code == code))
        if found is None:
            raise LookupError(f"unknown forum {code!r}")
        return found


_FIELD_KIND = {"due_date": ActionUpdateKind.POSTPONED}
_RESPONSIBLE = frozenset({"responsible_party", "responsible_member_id", "responsible_text"})
_FIELD_NAMES = {"title": "rubrik", "focus_area_id": "fokusområde", "start_date": "start", "due_date": "klart senast",
                "promise_id": "medborgarlöfte", "forum_id": "forum"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def responsible_label(action: Action) -> str:
    """Who answers for an action, as a reply shows it: the member, the outside person, or the party."""
    if action.responsible_member is not None:
        return action.responsible_member.name
    return action.responsible_text or action.responsible_party


class PromiseRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def by_title(self, title: str) -> CitizenPromise | None:
        """Case-insensitive in Python: SQLite's lower() leaves Å, Ä and Ö alone. Promises are few."""
        wanted = " ".join(title.split()).casefold()
        for promise in await self.session.scalars(select(CitizenPromise)):
            if " ".join(promise.title.split()).casefold() == wanted:
                return promise
        return None

    async def get(self, number: int) -> CitizenPromise | None:
        return await self.session.scalar(select(CitizenPromise).where(CitizenPromise.number == number))

    async def all(self) -> list[CitizenPromise]:
        return list(await self.session.scalars(select(CitizenPromise).order_by(CitizenPromise.number)))

    async def add(self, title: str, *, period_start: date, at: datetime | None = None) -> CitizenPromise:
        """A new promise with the next number. Caller commits (and checks ``by_title`` first)."""
        promise = CitizenPromise(number=await next_number(self.session, PROMISE_SEQUENCE), title=title.strip(),
                                 period_start=period_start, status="aktivt")
        if at is not None:
            promise.created_at = at
        self.session.add(promise)
        await self.session.flush()
        return promise

    async def get_or_create(self, title: str, *, period_start: date) -> CitizenPromise:
        existing = await self.by_title(title)
        if existing is not None:
            return existing
        return await self.add(title, period_start=period_start)

    async def state(self, promise: CitizenPromise) -> PromiseState:
        """One promise with the actions that carry it out, by number."""
        actions = await self.session.scalars(
            with_relations(select(Action)).where(Action.promise_id == promise.id).order_by(Action.number))
        return PromiseState(promise, list(actions))

    async def states(self) -> list[PromiseState]:
        promises = await self.all()
        actions = await self.session.scalars(
            with_relations(select(Action)).where(Action.promise_id.is_not(None)).order_by(Action.number))
        by_promise: dict[int, list[Action]] = {}
        for action in actions:
            by_promise.setdefault(action.promise_id, []).append(action)
        return [PromiseState(p, by_promise.get(p.id, [])) for p in promises]


async def sync_deadline_actions(session: AsyncSession, deadlines: Any, today: date, *, at: datetime) -> list[Action]:
    """Make sure each agreement deadline has an action for its current occurrence; returns those created.

    A new deadline starts at its next due date on or after today (or its one date, if already passed); a
    recurring one gets its next occurrence once the previous action is closed or cancelled. The unique
    (deadline_code, due_date) index makes two processes starting at once harmless.
    """
    repository = ActionRepository(session)
    created = []
    for deadline in deadlines:
        latest = await session.scalar(
            select(Action).where(Action.deadline_code == deadline.code)
            .order_by(Action.due_date.desc()).limit(1))
        if latest is None:
            due = deadline.next_due(today) or deadline.due
        elif latest.status in OPEN_STATUSES or not deadline.every_months:
            continue
        else:
            due = deadline.next_due(latest.due_date + timedelta(days=1))
            if due is None:
                continue
        created.append(await repository.add(NewAction(
            title=deadline.title, responsible_party=ResponsibleParty.GEMENSAM.value, due_date=due,
            forum=deadline.responsible_forum, deadline_code=deadline.code), None, at=at))
    return created
