"""A stand-in for the Bot Framework's token service, on loopback, so webhook authentication is tested offline.

Inbound: Teams signs each request to the bot with an RS256 token (``iss`` https://api.botframework.com,
``aud`` the app id, a ``serviceurl`` claim equal to the activity's serviceUrl, ``kid`` in the header).
botbuilder finds the key through the OpenID metadata's ``jwks_uri`` and checks that the key endorses the
activity's channel. ``TokenIssuer`` serves that metadata and a JWKS from a thread of its own, so it can also
be slow (``delay``) or failing (``status``) without touching the bot's event loop (botbuilder itself fetched
them blocking on that loop); ``sign`` makes tokens, good or bad on purpose.

Outbound: the bot's replies carry a token it gets from Entra ID through msal, which accepts only https
authorities, so there is no loopback token endpoint here. ``FixedTokenCredentialsFactory`` wraps the
bot's real credentials factory instead (app-id checks and SingleTenant/MultiTenant choice stay
botbuilder's) and only swaps the token fetch for a fixed token the recording connector can check.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from botframework.connector.auth import ServiceClientCredentialsFactory
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from msrest.authentication import Authentication

ISSUER = "https://api.botframework.com"
KID = "samverkan-test-msteams"
# Published too, but endorsed only for Web Chat: a token it signs is no good for an msteams activity.
WEBCHAT_KID = "samverkan-test-webchat"
OUTBOUND_TOKEN = "fixed-outbound-token-for-tests"

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
WEBCHAT_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
# Never published: what a forger would sign with.
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(private_key: rsa.RSAPrivateKey, kid: str, endorsements: list[str]) -> dict[str, Any]:
    key = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**key, "kid": kid, "use": "sig", "endorsements": endorsements}


JWKS = {"keys": [_jwk(KEY, KID, ["msteams"]), _jwk(WEBCHAT_KEY, WEBCHAT_KID, ["webchat"])]}


def sign(claims: dict[str, Any], *, kid: str | None = KID, key: Any = KEY, algorithm: str = "RS256") -> str:
    """A JWT over ``claims``; ``kid=None`` leaves the header without a key id."""
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def channel_claims(app_id: str, service_url: str, *, now: float | None = None, lifetime: int = 3600,
                   **overrides: Any) -> dict[str, Any]:
    """The claims of a token the Bot Connector sends with an activity (real time: PyJWT checks ``exp``
    against the wall clock, not the bot's injected clock). ``overrides`` replace or add claims; a value
    of None removes that claim."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {"serviceurl": service_url, "nbf": issued - 60, "exp": issued + lifetime,
                              "iss": ISSUER, "aud": app_id}
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class TokenIssuer:
    """OpenID metadata at ``metadata_url`` and the JWKS it names, served by a daemon thread on 127.0.0.1."""

    def __init__(self) -> None:
        self.fetched: list[str] = []
        self.status = 200  # what the metadata is answered with (e.g. 500: Microsoft's side failing)
        self.delay = 0.0  # seconds before the metadata is answered (a slow endpoint)
        self.metadata_asked = threading.Event()  # set when the metadata is asked for (before any delay)
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.fetched.append(self.path)
                if self.path == "/.well-known/openidconfiguration":
                    issuer.metadata_asked.set()
                    time.sleep(issuer.delay)  # this server's own thread: the bot's loop is not held
                if self.path == "/.well-known/openidconfiguration" and issuer.status != 200:
                    self.send_error(issuer.status)
                elif self.path == "/.well-known/openidconfiguration":
                    self._json({"issuer": ISSUER, "jwks_uri": issuer.jwks_url,
                                "id_token_signing_alg_values_supported": ["RS256"],
                                "token_endpoint_auth_methods_supported": ["private_key_jwt"]})
                elif self.path == "/keys":
                    self._json(JWKS)
                else:
                    self.send_error(404)

            def _json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.metadata_url = f"{self.url}/.well-known/openidconfiguration"
        self.jwks_url = f"{self.url}/keys"
        self._thread = threading.Thread(target=self._server.serve_forever, name="token-issuer", daemon=True)

    def start(self) -> TokenIssuer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TokenIssuer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FixedTokenCredentialsFactory(ServiceClientCredentialsFactory):
    """Delegates to ``inner`` (e.g. ``ConfigurationServiceClientCredentialFactory``) and records the
    credentials it creates, whose token fetch returns ``OUTBOUND_TOKEN`` instead of calling Entra ID."""

    def __init__(self, inner: ServiceClientCredentialsFactory, token: str = OUTBOUND_TOKEN):
        self.inner = inner
        self.token = token
        self.created: list[Authentication] = []

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self.inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self.inner.is_authentication_disabled()

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Authentication:
        credentials = await self.inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
        credentials.get_access_token = lambda force_refresh=False: self.token
        self.created.append(credentials)
        return credentials
