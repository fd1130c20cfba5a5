"""The post before a forum's meeting: what is overdue, what falls due before the meeting, what the log shows
since the previous meeting (with the lägesbild chart), and the agreement's deadlines coming up."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs.format import bullet_list, long_date
from dialogs.lagesbild import chart_image, situation_text
from dialogs.render.actions import action_line
from dialogs.replies import Image, Reply
from domain.collaboration import Collaboration
from domain.rules.detail import DetailLevel
from domain.situation import Asker, Situation
from services.situation import PostMaterial

_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


async def meeting_post_of(material: PostMaterial, collaboration: Collaboration, *, forum_name: str, now: datetime,
                          chart: bool = True, detail: DetailLevel = DetailLevel.FULL) -> Reply:
    """The post before a meeting: its text, the same as a card, and the chart when the log has anything. At the
    ``summary`` detail level the lägesbild shows counts only: no observation's text, no place."""
    zone = ZoneInfo(collaboration.timezone)
    local = material.starts_at.astimezone(zone)
    today = material.today
    # The picture's text helpers take a Situation; the post is the bot's own, read by everyone in the channel.
    situation = Situation(collaboration, Asker(0, "Samverkansboten", "kommun", ""), now)
    picture = material.picture
    parts = [f"Inför {forum_name} {_WEEKDAYS[local.weekday()]} {long_date(local.date())} kl {local:%H:%M}"]
    parts.append(_section("Försenade åtgärder", material.overdue, today))
    parts.append(_section("Ska vara klara före mötet", material.coming, today))
    parts.append(situation_text(picture, situation, default=not material.since_previous, detail=detail))
    if material.deadlines:
        parts.append("Överenskommelsens tidsgränser de närmaste tre månaderna:\n"
                     + bullet_list([action_line(a, today) for a in material.deadlines]))
    image = await chart_image(picture, situation) if chart and picture.total else None
    return meeting_post_reply("\n\n".join(parts), image)


def meeting_post_reply(text: str, image: Image | None) -> Reply:
    """Teams shows the card, with the chart inside and its heading as the summary; others text and image."""
    return Reply(text=text, card=meeting_post_card(text, image), summary=meeting_post_summary(text), image=image)


def meeting_post_summary(text: str) -> str:
    """The one line beside the card in Teams (and in notifications): the post's heading."""
    return text.partition("\n\n")[0].replace("\n", " ")


def meeting_post_card(text: str, chart: Image | None) -> dict:
    """The post as an Adaptive Card for Teams: a heading, one block per section, the chart inside the card."""
    heading, *sections = text.split("\n\n")
    body = [{"type": "TextBlock", "text": heading, "weight": "Bolder", "size": "Large", "wrap": True}]
    for section in sections:
        title, _, rest = section.partition("\n")
        body.append({"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True, "spacing": "Medium",
                     "separator": True})
        if rest:
            body.append({"type": "TextBlock", "text": rest, "wrap": True, "spacing": "Small"})
    if chart is not None:
        body.append({"type": "Image", "url": chart.data_uri, "altText": "Lägesbilden som diagram",
                     "size": "Stretch"})
    return {"type": "AdaptiveCard", "version": "1.5", "body": body, "fallbackText": meeting_post_summary(text),
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json"}


def _section(title: str, page, today) -> str:
    if not page.total:
        return f"{title}: inga."
    more = f"\n… och {page.total - len(page.actions)} till: fråga mig ”vilka åtgärder är försenade”." \
        if page.has_more else ""
    return f"{title} ({page.total}):\n" + bullet_list([action_line(a, today) for a in page.actions]) + more
