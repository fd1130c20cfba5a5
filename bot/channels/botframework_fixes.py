"""Process-wide corrections to botbuilder 4.17.1 (archived upstream, so fixed here, not there).

msrest's ``ClientRetryPolicy.__init__`` runs ``i not in self.safe_codes`` 999 times against a list;
botbuilder builds two such policies per turn (ConnectorClient and TokenApiClient), which costs
~5 ms of CPU and halves webhook throughput. A frozenset has the same membership semantics.

Its token validation fetches Microsoft's signing keys with a blocking ``requests.get`` without a timeout
on the event loop; ``bot.channels.signing_keys`` fetches them with aiohttp and a timeout instead.

Every other call to Microsoft gets an explicit time-out too. The Bot Connector client (msrest, requests underneath)
waits 100 s by default for each try, and the token client (msal) has none at all, so a hanging Bot Connector or
login endpoint held a turn, and the scheduler's delivery, for minutes or for ever. Now a connection must be made
within ``CONNECT_TIMEOUT_SECONDS`` and an answer must come within ``READ_TIMEOUT_SECONDS``; a call that times out
fails like any other (the turn says what was saved; the outbox tries again later).
"""

from __future__ import annotations

import functools

from botframework.connector.auth import certificate_app_credentials, microsoft_app_credentials
from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata
from msrest.universal_http import ClientConnection
from msrest.universal_http.requests import ClientRetryPolicy

from bot.channels import signing_keys

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 20.0  # Teams answers a post within a second or two; a slow one still fits
TIMEOUT = (CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS)  # as requests takes it: (connect, read)

_applied = False
_connection_init = ClientConnection.__init__


def _connection_with_timeout(self) -> None:
    _connection_init(self)
    self.timeout = TIMEOUT


def apply() -> None:
    global _applied
    if _applied:
        return
    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)
    _OpenIdMetadata._refresh = signing_keys.refresh
    ClientConnection.__init__ = _connection_with_timeout  # the Bot Connector and its token API
    for module in (microsoft_app_credentials, certificate_app_credentials):  # msal: the app's access token
        module.ConfidentialClientApplication = functools.partial(module.ConfidentialClientApplication, timeout=TIMEOUT)
    _applied = True
