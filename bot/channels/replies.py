"""Turns the conversations' ``Reply`` into a botbuilder activity for the channel of the turn.

One place decides what each channel shows: Teams renders Adaptive Cards (a card goes alone, with its
one-line summary, since Teams would show an activity's text as a message of its own above the card) and
inline images; Matrix gets the text and the image uploaded as ``m.image``; the console gets text.
"""

from __future__ import annotations

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, Attachment

from dialogs.replies import OUTLET_KEY, TEXT_ONLY, Capabilities, Image, Outlet, Reply

CAPABILITIES = {
    "msteams": Capabilities(cards=True, images=True),
    "matrix": Capabilities(images=True),
}


def capabilities_of(channel_id: str | None) -> Capabilities:
    return CAPABILITIES.get(channel_id or "", TEXT_ONLY)


def image_attachment(image: Image) -> Attachment:
    return Attachment(content_type="image/png", name=image.name, content_url=image.data_uri)


def to_activity(reply: Reply, capabilities: Capabilities) -> Activity:
    if reply.card is not None and capabilities.cards:
        card = dict(reply.card)
        if reply.summary and "fallbackText" not in card:
            card["fallbackText"] = reply.summary
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        activity.summary = reply.summary
        return activity
    if reply.image is not None and capabilities.images:
        return MessageFactory.attachment(image_attachment(reply.image), text=reply.text or None)
    return MessageFactory.text(reply.text)


def payload_of(reply: Reply, channel_id: str | None) -> dict:
    """The reply as the outbox keeps it for a channel: the activity's text, summary and attachments."""
    activity = to_activity(reply, capabilities_of(channel_id))
    payload = {"text": activity.text, "summary": activity.summary,
               "attachments": [attachment.serialize() for attachment in activity.attachments or []]}
    return {key: value for key, value in payload.items() if value}


async def deliver(context: TurnContext, reply: Reply) -> None:
    await context.send_activity(to_activity(reply, capabilities_of(context.activity.channel_id)))


def outlet_for(channel_id: str | None) -> Outlet:
    return Outlet(deliver, capabilities_of(channel_id))


def attach_outlet(context: TurnContext) -> None:
    """Lets this turn's conversations reply through ``dialogs.replies.send``."""
    context.turn_state[OUTLET_KEY] = outlet_for(context.activity.channel_id)
