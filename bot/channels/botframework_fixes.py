"""Process-wide corrections to botbuilder 4.17.1 (archived upstream, so fixed here, not there).

msrest's ``ClientRetryPolicy.__init__`` runs ``i not in self.safe_codes`` 999 times against a list;
botbuilder builds two such policies per turn (ConnectorClient and TokenApiClient), which costs
~5 ms of CPU and halves webhook throughput. A frozenset has the same membership semantics.
"""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)
    _applied = True
