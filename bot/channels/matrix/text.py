"""What a Matrix event says: the notice content of a reply, its HTML, a chart's PNG, a reply's own words.

Bots answer with ``m.notice`` (so no bot answers another) with a plain ``body`` and an HTML
``formatted_body``; nobody is pinged by a name in the text, only by ``m.mentions``.
"""

from __future__ import annotations

import base64
import html
import struct
from typing import Any

HTML_FORMAT = "org.matrix.custom.html"
PNG_DATA_URI = "data:image/png;base64,"


def html_of(text: str) -> str:
    """The HTML ``formatted_body`` of a reply: escaped, "- " lines as a list, other newlines as <br>."""
    parts: list[tuple[str, str | list[str]]] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            if parts and parts[-1][0] == "list":
                parts[-1][1].append(html.escape(line[2:], quote=False))
            else:
                parts.append(("list", [html.escape(line[2:], quote=False)]))
        else:
            parts.append(("text", html.escape(line, quote=False)))
    out: list[str] = []
    previous = None
    for kind, value in parts:
        if kind == "list":
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in value) + "</ul>")
        else:
            if previous == "text":
                out.append("<br>")
            out.append(value)
        previous = kind
    return "".join(out)


def strip_reply_fallback(body: str) -> str:
    """A reply's body without the quoted message clients put before it ('> <@bot:hs> …' and a blank line)."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and not lines[index].strip():
        index += 1
    return "\n".join(lines[index:])


def png_of(url: str | None) -> bytes | None:
    """The bytes of a ``data:image/png;base64,…`` URI (the chart), or None."""
    if not url or not url.startswith(PNG_DATA_URI):
        return None
    try:
        return base64.b64decode(url[len(PNG_DATA_URI):], validate=True)
    except ValueError:
        return None


def png_size(png: bytes) -> tuple[int, int] | None:
    if len(png) >= 24 and png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR":
        width, height = struct.unpack(">II", png[16:24])
        return width, height
    return None


def notice_content(text: str, *, reply_to: str | None = None, thread: str | None = None,
                   mentions: list[str] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"msgtype": "m.notice", "body": text, "format": HTML_FORMAT,
                               "formatted_body": html_of(text),
                               # Nobody is pinged by a name in the text; only ``mentions`` are.
                               "m.mentions": {"user_ids": mentions} if mentions else {}}
    relation = relation_of(reply_to, thread)
    if relation:
        content["m.relates_to"] = relation
    return content


def relation_of(reply_to: str | None, thread: str | None) -> dict[str, Any] | None:
    """``m.relates_to`` of an answer: in the thread (replying to ``reply_to``) or a plain reply."""
    if thread:
        return {"rel_type": "m.thread", "event_id": thread, "is_falling_back": reply_to is None,
                "m.in_reply_to": {"event_id": reply_to or thread}}
    if reply_to:
        return {"m.in_reply_to": {"event_id": reply_to}}
    return None
