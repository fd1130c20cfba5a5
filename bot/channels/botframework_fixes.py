"""Process-wide corrections to botbuilder 4.17.1 (archived upstream, so fixed here, not there).

msrest's ``ClientRetryPolicy.__init__`` runs ``i not in self.safe_codes`` 999 times against a list;
botbuilder builds two such policies per turn (ConnectorClient and TokenApiClient), which costs
~5 ms of CPU and halves webhook throughput. A frozenset has the same membership semantics.

Its token validation fetches Microsoft's signing keys with a blocking ``requests.get`` without a timeout
on the event loop; ``bot.channels.signing_keys`` fetches them with aiohttp and a timeout instead.
"""

from __future__ import annotations

from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata
from msrest.universal_http.requests import ClientRetryPolicy

from bot.channels import signing_keys

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)
    _OpenIdMetadata._refresh = signing_keys.refresh
    _applied = True
