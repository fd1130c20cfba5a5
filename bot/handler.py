"""The one activity handler every channel (Teams, Matrix, console) feeds.

It decides who is writing (only known members get answers), keeps the conversation reference so
the bot can speak first later, greets on installation, and hands messages to ``dialogs``. Activity
types it does not handle are ignored quietly and leave nothing stored.
"""

from __future__ import annotations

import logging

from babel.numbers import format_number
from botbuilder.core import ActivityHandler, BotState, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import ChannelAccount

from bot.channels.invoke_replies import TOKEN_EXCHANGE, TOKEN_EXCHANGE_REFUSED_STATUS, token_exchange_refused
from bot.channels.place import attach_place
from bot.channels.recent import Recent
from bot.channels.references import Identity, identity_of, reference_fields, reference_key, teams_ids, tenant_of
from bot.channels.replies import attach_outlet
from bot.members import MemberDirectory
from bot.rate_limit import DEFAULT_PER_MINUTE, RateLimit, Verdict, too_fast_text
from dialogs.context import MEMBERS_KEY
from dialogs.conversation import Conversation
from dialogs.help import NO_TEXT_TEXT, greeting
from dialogs.privacy import normalise_input
from domain.clock import Clock
from domain.collaboration import Collaboration
from domain.situation import Asker, Situation
from storage import AuditLog, ConversationReferenceRepository, Database

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
REFERENCE_MEMORY = 10_000  # conversations whose stored reference this process remembers (a cache)


def clean_text(text: str | None) -> str:
    return normalise_input(text or "")


def not_a_member_text(collaboration: Collaboration) -> str:
    return (
        "Hej! Jag är Samverkansboten, en automatisk assistent för samverkan mellan "
        f"{collaboration.municipality} och {collaboration.police_area}. Jag känner inte igen dig som "
        "medlem. Eftersom det som sparas här rör skola, socialtjänst och polis svarar jag bara kända "
        f"medlemmar. Kontakta {collaboration.contact} för att bli tillagd."
    )


def too_long_text(length: int) -> str:
    return (
        f"Meddelandet är för långt ({format_number(length, locale='sv')} tecken). Jag tar emot högst "
        f"{format_number(MAX_MESSAGE_CHARS, locale='sv')} tecken åt gången – korta ner det eller dela upp det. "
        "Inget har sparats."
    )


def _fingerprint(activity, member_id: int | None) -> tuple:
    """What decides whether a stored conversation reference is still current (cheap: no serialization)."""
    return (activity.service_url, activity.recipient.id if activity.recipient else None,
            activity.conversation.conversation_type, tenant_of(activity), *teams_ids(activity), member_id)


class SamverkanBot(ActivityHandler):
    def __init__(
        self,
        *,
        database: Database,
        collaboration: Collaboration,
        clock: Clock,
        private_state: BotState,
        rate_limit: int = DEFAULT_PER_MINUTE,
    ):
        """``private_state``: per user within a conversation, the only state the conversations keep (their
        dialog stack, last listing, the action "den" refers to); nothing is kept per conversation or per
        user alone, so no such state is read or saved."""
        self.database = database
        self.collaboration = collaboration
        self.clock = clock
        self._state = private_state
        self.conversation = Conversation(private_state, database)
        self.members = MemberDirectory(database, clock)
        self.rate_limit = RateLimit(clock, rate_limit)
        # Reference fingerprints already stored by this process: a turn writes one only when it changes.
        # Bounded: one forgotten costs one more write, while every conversation ever seen would grow forever.
        self._stored_references: Recent[str, tuple] = Recent(REFERENCE_MEMORY)

    async def on_turn(self, turn_context: TurnContext) -> None:
        turn_context.turn_state[MEMBERS_KEY] = self.members
        attach_outlet(turn_context)
        attach_place(turn_context)
        await super().on_turn(turn_context)
        await self._state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.channel_id == "msteams" or activity.entities:
            activity.text = TurnContext.remove_recipient_mention(activity)
        text = clean_text(activity.text)
        activity.text = text
        identity = identity_of(activity)
        if not await self._within_rate(turn_context, identity):
            return
        asker = await self._admit(turn_context, identity)
        if asker is None:
            await turn_context.send_activity(MessageFactory.text(not_a_member_text(self.collaboration)))
            return
        if not text and isinstance(activity.value, dict) and "samverkan" in activity.value:
            await self.conversation.submit(turn_context, await self._situation(asker), activity.value)
            return
        if not text:
            await turn_context.send_activity(MessageFactory.text(NO_TEXT_TEXT))
            return
        if len(text) > MAX_MESSAGE_CHARS:
            await turn_context.send_activity(MessageFactory.text(too_long_text(len(text))))
            return
        await self.conversation.respond(turn_context, await self._situation(asker), text)

    async def _within_rate(self, turn_context: TurnContext, identity: Identity | None) -> bool:
        """Before any work (no lookup, no audit, no reading): one answer when a writer goes over the limit,
        silence for the rest of the burst."""
        verdict = self._rate_verdict(turn_context, identity)
        if verdict is Verdict.REFUSED:
            log.warning("rate limit: a writer on %s sent more than %d messages in a minute",
                        turn_context.activity.channel_id, self.rate_limit.per_minute)
            await turn_context.send_activity(MessageFactory.text(too_fast_text(self.rate_limit.per_minute)))
        return verdict is Verdict.ADMITTED

    def _rate_verdict(self, turn_context: TurnContext, identity: Identity | None) -> Verdict:
        """Counted per writer; a writer with no identity (an odd channel) per conversation."""
        return self.rate_limit.check(str(identity) if identity is not None else reference_key(turn_context.activity))

    async def _situation(self, asker: Asker) -> Situation:
        return Situation(self.collaboration, asker, self.clock.now(), await self.members.names())

    async def _admit(self, turn_context: TurnContext, identity: Identity | None) -> Asker | None:
        """Look the sender up; keep the conversation reference of members only (a refusal is audited,
        and nothing else of a non-member is stored). The database is touched only when the member is
        not in memory or the reference changed."""
        activity = turn_context.activity
        asker = await self.members.lookup(identity) if identity is not None else None
        personal = (activity.conversation.conversation_type or "personal") == "personal"
        member_id = asker.member_id if asker and personal else None
        if asker is not None and not self._reference_changed(activity, member_id):
            return asker
        async with self.database.session() as session:
            if asker is not None:
                await self._keep_reference(session, activity, member_id)
            else:
                await AuditLog(session).record(
                    "access.denied", actor=str(identity) if identity else None, channel=activity.channel_id,
                    subject_type="conversation", subject_id=reference_key(activity))
            await session.commit()
        if asker is not None:
            self._stored_references[reference_key(activity)] = _fingerprint(activity, member_id)
        return asker

    def _reference_changed(self, activity, member_id: int | None) -> bool:
        return self._stored_references.get(reference_key(activity)) != _fingerprint(activity, member_id)

    async def _keep_reference(self, session, activity, member_id: int | None) -> bool:
        """Store or refresh the conversation reference; True when it is new or was inactive.
        The caller commits, then records the fingerprint, so a failed commit is retried next turn."""
        key = reference_key(activity)
        repository = ConversationReferenceRepository(session)
        existing = await repository.get(key)
        was_active = existing is not None and existing.active
        if member_id is None and existing is not None:
            member_id = existing.member_id
        await repository.upsert(key, **reference_fields(activity), member_id=member_id, active=True)
        return not was_active

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name == "adaptiveCard/action":
            # Answered within the turn (Teams waits a few seconds). The body is a plain dict: botbuilder's
            # AdaptiveCardInvokeResponse types ``value`` as a dict, but a message answer carries a string.
            identity = identity_of(turn_context.activity)
            if self._rate_verdict(turn_context, identity) is not Verdict.ADMITTED:
                return InvokeResponse(status=200, body={"statusCode": 200,
                                                        "type": "application/vnd.microsoft.activity.message",
                                                        "value": too_fast_text(self.rate_limit.per_minute)})
            asker = await self._admit(turn_context, identity)
            if asker is None:
                return InvokeResponse(status=200, body={"statusCode": 200,
                                                        "type": "application/vnd.microsoft.activity.message",
                                                        "value": not_a_member_text(self.collaboration)})
            action = (turn_context.activity.value or {}).get("action") or {}
            body = await self.conversation.execute(turn_context, await self._situation(asker),
                                                   str(action.get("verb") or ""), action.get("data") or {})
            return InvokeResponse(status=200, body=body)
        if turn_context.activity.name == TOKEN_EXCHANGE:
            # Teams SSO, which this bot does not use: the documented failed exchange (the webhook has
            # checked value.id), so Teams falls back to its regular sign-in instead of showing an error.
            return InvokeResponse(status=TOKEN_EXCHANGE_REFUSED_STATUS,
                                  body=token_exchange_refused(turn_context.activity.value))
        # Task modules, message extensions, other sign-in steps: nothing this bot offers (the manifest
        # declares none). Bot Framework's answer for an invoke a bot does not implement is 501, and the
        # chat is left alone.
        return InvokeResponse(status=501)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext):
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_added):
            await self._installed(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext):
        await self._installed(turn_context)

    async def on_members_removed_activity(self, members_removed: list[ChannelAccount], turn_context: TurnContext):
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_removed):
            await self._uninstalled(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext):
        await self._uninstalled(turn_context)

    async def _installed(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        identity = identity_of(activity)
        async with self.database.session() as session:
            is_new = await self._keep_reference(session, activity, None)
            if is_new:
                await AuditLog(session).record(
                    "conversation.installed", actor=str(identity) if identity else None,
                    channel=activity.channel_id, subject_type="conversation", subject_id=reference_key(activity))
            await session.commit()
        self._stored_references[reference_key(activity)] = _fingerprint(activity, None)
        if is_new:
            await turn_context.send_activity(MessageFactory.text(greeting(self.collaboration)))

    async def _uninstalled(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        key = reference_key(activity)
        async with self.database.session() as session:
            await ConversationReferenceRepository(session).mark_inactive(key)
            await AuditLog(session).record(
                "conversation.removed", actor=str(identity_of(activity) or ""), channel=activity.channel_id,
                subject_type="conversation", subject_id=key)
            await session.commit()
        self._stored_references.pop(key, None)
