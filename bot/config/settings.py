"""Process settings from the environment (and an optional ``.env`` file).

Kept separate from the collaboration file: settings are deployment secrets and addresses, the
collaboration file is the agreement's content that a coordinator edits.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from domain.collaboration import DEFAULT_CONFIG_PATH, ConfigError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/samverkan.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3978
DEFAULT_MATRIX_STORE_PATH = Path("./data/matrix-store")

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# The storage layer is async-only, so bare schemes get the async driver SQLAlchemy needs.
_ASYNC_SCHEMES = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*(@)")


def normalize_database_url(url: str) -> str:
    """Give bare ``sqlite``/``postgres(ql)`` URLs their async driver; reject other databases."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        raise ConfigError(f"DATABASE_URL: not a database URL: {mask_url(url)!r}")
    scheme = scheme.lower()
    if scheme in _ASYNC_SCHEMES:
        return f"{_ASYNC_SCHEMES[scheme]}://{rest}"
    dialect, _, driver = scheme.partition("+")
    if dialect == "postgres":
        dialect = "postgresql"
    if dialect not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL: unsupported database {dialect!r}; use sqlite or postgresql")
    return f"{dialect}+{driver}://{rest}"


def mask_url(url: str) -> str:
    """Hide the password of a URL so it can be logged."""
    return _URL_PASSWORD.sub(r"\1***\2", url)


@dataclass(frozen=True, slots=True)
class Settings:
    """Deployment settings; build with ``Settings.from_env()``."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    config_path: Path = DEFAULT_CONFIG_PATH
    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    log_level: str = "INFO"
    # DATABASE_STATEMENT_TIMEOUT (seconds, PostgreSQL): a statement running longer is cut off and the user
    # hears that the database is not answering.
    database_statement_timeout: float = 5.0
    # The secret in the meeting calendars' addresses (/calendar/FORUM.ics?token=…); empty: no calendars served.
    calendar_token: str = field(default="", repr=False)
    # Entra tenant ids whose activities the webhook serves (SAMVERKAN_ALLOWED_TENANTS, comma-separated,
    # lower-cased); empty: every tenant.
    allowed_tenants: tuple[str, ...] = ()
    # SAMVERKAN_RATE_LIMIT: messages a member may send per minute before the bot asks them to slow down.
    rate_limit_per_minute: int = 30
    # Matrix (bot/channels/matrix): on when MATRIX_HOMESERVER is set. The key store for end-to-end
    # encryption lives at matrix_store_path and is critical state (see README, "Matrix").
    matrix_homeserver: str = ""
    matrix_user_id: str = ""
    matrix_access_token: str = field(default="", repr=False)
    matrix_password: str = field(default="", repr=False)
    matrix_device_id: str = ""
    matrix_store_path: Path = DEFAULT_MATRIX_STORE_PATH
    # Who may invite the bot into a room: full MXIDs ('@anna:almhult.se') or homeservers (':almhult.se').
    matrix_allowed_inviters: tuple[str, ...] = ()
    matrix_encryption: bool = True

    @property
    def has_matrix(self) -> bool:
        """True when the Matrix channel is configured (``samverkan run`` then syncs with the homeserver)."""
        return bool(self.matrix_homeserver)

    @property
    def has_credentials(self) -> bool:
        """True when a Bot Framework app id is set, i.e. the bot talks to the real Teams service."""
        return bool(self.app_id)

    def __repr__(self) -> str:
        password = "'***'" if self.app_password else "''"
        return (
            f"Settings(database_url={mask_url(self.database_url)!r}, host={self.host!r}, port={self.port!r}, "
            f"config_path={str(self.config_path)!r}, app_id={self.app_id!r}, app_password={password}, "
            f"app_tenant_id={self.app_tenant_id!r}, app_type={self.app_type!r}, log_level={self.log_level!r}, "
            f"allowed_tenants={self.allowed_tenants!r}, matrix_homeserver={self.matrix_homeserver!r}, "
            f"matrix_user_id={self.matrix_user_id!r}, matrix_device_id={self.matrix_device_id!r})"
        )

    __str__ = __repr__

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``), falling back to ``env_file``.

        Real environment variables win over the file, as with ``load_dotenv(override=False)``, but
        nothing is written into ``os.environ``. A missing ``env_file`` is not an error. Empty values
        count as unset.
        """
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        def get(name: str) -> str:
            return (values.get(name) or "").strip()

        database_url = normalize_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL)
        port = _parse_number("PORT", get("PORT"), DEFAULT_PORT, int, 1, 65535)
        config = get("SAMVERKAN_CONFIG")
        config_path = Path(config).expanduser() if config else DEFAULT_CONFIG_PATH

        app_type = get("MicrosoftAppType") or "MultiTenant"
        canonical = {t.lower(): t for t in APP_TYPES}.get(app_type.lower())
        if canonical is None:
            raise ConfigError(f"MicrosoftAppType: {app_type!r} is not one of {', '.join(APP_TYPES)}")
        app_id = get("MicrosoftAppId")
        tenant_id = get("MicrosoftAppTenantId")
        if canonical == "SingleTenant" and app_id and not tenant_id:
            raise ConfigError("MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant")

        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level == "WARN":
            log_level = "WARNING"
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL: {log_level!r} is not one of {', '.join(LOG_LEVELS)}")

        return cls(
            database_url=database_url,
            host=get("HOST") or DEFAULT_HOST,
            port=port,
            config_path=config_path,
            app_id=app_id,
            app_password=get("MicrosoftAppPassword"),
            calendar_token=get("SAMVERKAN_CALENDAR_TOKEN"),
            app_tenant_id=tenant_id,
            app_type=canonical,
            log_level=log_level,
            database_statement_timeout=_parse_number("DATABASE_STATEMENT_TIMEOUT", get("DATABASE_STATEMENT_TIMEOUT"),
                                                     5.0, float, 0.1, 3600, "seconds"),
            allowed_tenants=_parse_tenants(get("SAMVERKAN_ALLOWED_TENANTS")),
            rate_limit_per_minute=_parse_number("SAMVERKAN_RATE_LIMIT", get("SAMVERKAN_RATE_LIMIT"), 30, int, 1,
                                                10_000, "messages per minute"),
            **_matrix_settings(get),
        )


_MXID = re.compile(r"^@[^:\s]+:[^\s]+$")
_SERVER = re.compile(r"^:[A-Za-z0-9.\-]+(?::\d+)?$")


def _matrix_settings(get) -> dict:
    """The MATRIX_* variables; all empty: Matrix off. Half a configuration is an error, not a silent off."""
    homeserver, user_id = get("MATRIX_HOMESERVER"), get("MATRIX_USER_ID")
    token, password = get("MATRIX_ACCESS_TOKEN"), get("MATRIX_PASSWORD")
    values = {"matrix_homeserver": homeserver.rstrip("/"), "matrix_user_id": user_id, "matrix_access_token": token,
              "matrix_password": password, "matrix_device_id": get("MATRIX_DEVICE_ID")}
    if not homeserver:
        others = [name for name in ("MATRIX_USER_ID", "MATRIX_ACCESS_TOKEN", "MATRIX_PASSWORD") if get(name)]
        if others:
            raise ConfigError(f"MATRIX_HOMESERVER: required when {', '.join(others)} is set")
        return values
    if not homeserver.startswith(("https://", "http://")):
        raise ConfigError(f"MATRIX_HOMESERVER: {homeserver!r} is not an http(s) URL")
    if not _MXID.match(user_id):
        raise ConfigError(f"MATRIX_USER_ID: {user_id!r} is not a Matrix user id like @samverkan:almhult.se")
    if not token and not password:
        raise ConfigError("MATRIX_ACCESS_TOKEN or MATRIX_PASSWORD: one is required with MATRIX_HOMESERVER")
    inviters = tuple(dict.fromkeys(i.strip() for i in get("MATRIX_ALLOWED_INVITERS").split(",") if i.strip()))
    for inviter in inviters:
        if not (_MXID.match(inviter) or _SERVER.match(inviter)):
            raise ConfigError(f"MATRIX_ALLOWED_INVITERS: {inviter!r} is neither a user (@anna:almhult.se) "
                              "nor a homeserver (:almhult.se)")
    encryption = (get("MATRIX_ENCRYPTION") or "on").lower()
    if encryption not in ("on", "off", "true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"MATRIX_ENCRYPTION: {encryption!r} is not on or off")
    store = get("MATRIX_STORE_PATH")
    values.update(matrix_allowed_inviters=inviters,
                  matrix_store_path=Path(store).expanduser() if store else DEFAULT_MATRIX_STORE_PATH,
                  matrix_encryption=encryption in ("on", "true", "1", "yes"))
    return values


def _parse_tenants(raw: str) -> tuple[str, ...]:
    """Comma-separated tenant ids, lower-cased (Entra ids are GUIDs, compared without case), in order, once each."""
    return tuple(dict.fromkeys(t.strip().lower() for t in raw.split(",") if t.strip()))


def _parse_number(name: str, raw: str, default: float, convert: type, low: float, high: float, unit: str = ""):
    """A bounded number from the environment, ``default`` when unset; anything else names what it must be."""
    if not raw:
        return default
    try:
        value = convert(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        kind = "a whole number" if convert is int else "a number"
        raise ConfigError(f"{name}: {raw!r} must be {kind} between {low:g} and {high:g}{' ' + unit if unit else ''}")
    return value
