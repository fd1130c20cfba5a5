"""Microsoft's token signing keys, fetched without ever stopping the event loop.

botbuilder 4.17 fetches the OpenID metadata and its JWKS with a blocking ``requests.get`` without a timeout,
on the event loop: while Microsoft's endpoint was slow, one request with a forged token froze every
conversation for as long. ``refresh`` replaces ``_OpenIdMetadata._refresh``: an aiohttp fetch bounded by
``FETCH_TIMEOUT_SECONDS``, one at a time per metadata URL (requests arriving meanwhile wait for that one), the
keys cached as botbuilder does (a day). When the keys cannot be had, ``SigningKeysUnavailable`` says for how
long not to ask again: the webhook answers 503 with Retry-After (the Bot Connector retries), and requests in
that window are answered at once instead of each waiting for the timeout. Keys fetched before stay in use
while a later refresh fails.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 10.0  # the metadata and the JWKS together
RETRY_AFTER_SECONDS = 30  # after a failed fetch, how long requests are answered 503 without fetching again


class SigningKeysUnavailable(Exception):
    """Microsoft's signing keys could not be fetched: not the caller's fault, so not a 401."""

    def __init__(self, reason: str, retry_after: float):
        super().__init__(f"signing keys unavailable: {reason}")
        self.retry_after = max(1, round(retry_after))


def _lock(metadata: Any) -> asyncio.Lock:
    """The metadata's lock on the running loop (the metadata cache is process-wide; loops may come and go)."""
    loop = asyncio.get_running_loop()
    held = getattr(metadata, "_samverkan_lock", None)
    if held is None or held[0] is not loop:
        held = (loop, asyncio.Lock())
        metadata._samverkan_lock = held
    return held[1]


def _unavailable(metadata: Any) -> SigningKeysUnavailable | None:
    """The failure still in force from a fetch just tried, if any."""
    until, reason = getattr(metadata, "_samverkan_failed", (0.0, ""))
    remaining = until - time.monotonic()
    return SigningKeysUnavailable(reason, remaining) if remaining > 0 else None


async def _fetch(url: str) -> list[dict[str, Any]]:
    async with asyncio.timeout(FETCH_TIMEOUT_SECONDS), aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            response.raise_for_status()
            keys_url = (await response.json(content_type=None))["jwks_uri"]
        async with session.get(keys_url) as response:
            response.raise_for_status()
            keys = (await response.json(content_type=None))["keys"]
    if not isinstance(keys, list):
        raise ValueError("the JWKS holds no list of keys")
    return keys


async def refresh(metadata: Any) -> None:
    """``_OpenIdMetadata._refresh``: sets ``keys`` and ``last_updated``, or raises ``SigningKeysUnavailable``."""
    seen = metadata.last_updated
    async with _lock(metadata):
        if metadata.last_updated != seen:  # fetched while this request waited for the lock
            return
        failure = _unavailable(metadata)
        if failure is None:
            try:
                keys = await _fetch(metadata.url)
            except (aiohttp.ClientError, TimeoutError, OSError, ValueError, KeyError, TypeError) as error:
                reason = type(error).__name__ if isinstance(error, TimeoutError) else f"{type(error).__name__}: {error}"
                log.warning("could not fetch the token signing keys from %s: %s", metadata.url, reason)
                metadata._samverkan_failed = (time.monotonic() + RETRY_AFTER_SECONDS, reason)
                failure = _unavailable(metadata) or SigningKeysUnavailable(reason, RETRY_AFTER_SECONDS)
            else:
                metadata.keys = keys
                metadata.last_updated = datetime.now()  # botbuilder compares with its own datetime.now()
                metadata._samverkan_failed = (0.0, "")
                return
        if metadata.keys:
            return  # the keys fetched before still check tokens until Microsoft's endpoint answers again
        raise failure
