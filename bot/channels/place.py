"""Tells the conversations where this turn's message was written (``dialogs.place``), from the activity.

The Teams roster lookup lives here, so the dialogs never import botbuilder's ``TeamsInfo``.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.channels.references import identity_of, reference_fields, reference_key, teams_ids, tenant_of
from dialogs.place import PLACE_KEY, Sender, TurnPlace
from domain.places import Place


def place_for(context: TurnContext) -> TurnPlace:
    activity = context.activity
    conversation = activity.conversation
    kind = conversation.conversation_type or ("channel" if conversation.is_group else "personal")
    identity = identity_of(activity)

    async def object_id_of(user_id: str) -> str | None:
        try:
            return (await TeamsInfo.get_member(context, user_id)).aad_object_id
        except Exception:  # the roster call failed: the caller says so rather than store a Teams-internal id
            return None

    return TurnPlace(
        place=Place(channel=activity.channel_id, key=reference_key(activity), kind=kind,
                    teams_channel=teams_ids(activity)[1]),
        sender=Sender(identity.channel, identity.user_key, identity.tenant_id) if identity else None,
        tenant=tenant_of(activity),
        reference_fields=lambda: reference_fields(activity),
        object_id_of=object_id_of)


def attach_place(context: TurnContext) -> None:
    if context.activity.conversation is not None:
        context.turn_state[PLACE_KEY] = place_for(context)
