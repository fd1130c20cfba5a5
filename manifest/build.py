"""Build the Teams app package: manifest.json from the template, plus the two icons, in one flat zip.

Teams reads the package only from the zip's root, so the three files are stored without folders. The
zip is byte-for-byte reproducible (fixed timestamps and order): the same options give the same file, so
an administrator can tell whether an uploaded package is the current one. Errors are ``ValueError``
with a Swedish message, because an administrator reads them in ``samverkan manifest build``.

This folder lives beside the Python packages, not in them: the package is built from a checkout by
whoever deploys the bot, and the running bot never needs it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.json"
ICONS = ("color.png", "outline.png")
PACKAGE_FILES = ("manifest.json", *ICONS)

DEFAULT_VERSION = "1.0.0"
DEFAULT_DEVELOPER = "Älmhults kommun"
DEFAULT_WEBSITE = "https://www.almhult.se"

PLACEHOLDER = re.compile(r"\$\{\{([A-Z_]+)\}\}")
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Teams wants major.minor.patch without leading zeros (the schema's own "semver" definition).
SEMVER = re.compile(r"(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)")
HOST = re.compile(r"(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
MAX_DEVELOPER_NAME = 32  # the schema's limit
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say; fixed so that builds are reproducible


def check_app_id(app_id: str) -> str:
    """The Azure bot's Microsoft App ID (a GUID), lower-cased; it is both the app's id and the bot's id."""
    value = app_id.strip()
    if not GUID.fullmatch(value):
        raise ValueError(f"App-id:t måste vara ett GUID, till exempel 00000000-0000-0000-0000-000000000000 "
                         f"(Microsoft App ID för botens Azure-registrering), inte ”{app_id}”.")
    return value.lower()


def _check_version(version: str) -> str:
    value = version.strip()
    if not SEMVER.fullmatch(value):
        raise ValueError(f"Versionen måste skrivas som tre tal, till exempel 1.0.0, inte ”{version}”. "
                         "Höj den varje gång paketet ändras, annars uppdaterar Teams inte appen.")
    return value


def _check_url(url: str, what: str) -> str:
    value = url.strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"{what} måste vara en https-adress, till exempel {DEFAULT_WEBSITE}, inte ”{url}”.")
    return value


def _check_domain(domain: str | None) -> str | None:
    """The bot's public host for validDomains; a whole address (https://host/api/messages) is cut to its host."""
    if domain is None or not domain.strip():
        return None
    value = domain.strip()
    host = urlsplit(value).hostname if "://" in value else value.rstrip("/")
    host = (host or "").lower()
    if not HOST.fullmatch(host):
        raise ValueError(f"Domänen ska vara botens värdnamn, till exempel bot.almhult.se, inte ”{domain}”.")
    return host


def _check_developer(name: str) -> str:
    value = name.strip()
    if not value or len(value) > MAX_DEVELOPER_NAME:
        raise ValueError(f"Utvecklarens namn måste vara 1–{MAX_DEVELOPER_NAME} tecken, inte ”{name}”.")
    return value


def _unset(item: Any, values: dict[str, str | None]) -> bool:
    match = PLACEHOLDER.fullmatch(item) if isinstance(item, str) else None
    return match is not None and match.group(1) in values and values[match.group(1)] is None


def _fill(node: Any, values: dict[str, str | None]) -> Any:
    """Replace ${{NAME}} everywhere; a list item that is only a placeholder with no value is left out."""
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node if not _unset(item, values)]
    if isinstance(node, str):
        def value_of(match: re.Match[str]) -> str:
            value = values.get(match.group(1))
            if value is None:  # unknown, or optional and empty inside a longer text: fail rather than ship it
                raise ValueError(f"Mallen har platshållaren {match.group(0)} i ”{node}”, som byggskriptet inte "
                                 "kan fylla i.")
            return value

        return PLACEHOLDER.sub(value_of, node)
    return node


def render_manifest(app_id: str, *, version: str = DEFAULT_VERSION, developer_name: str = DEFAULT_DEVELOPER,
                    website: str = DEFAULT_WEBSITE, privacy: str | None = None, terms: str | None = None,
                    domain: str | None = None, template: Path = TEMPLATE) -> dict[str, Any]:
    """The filled manifest as a dict; privacy and terms default to the website."""
    website = _check_url(website, "Webbplatsen (--website)")
    values: dict[str, str | None] = {
        "APP_ID": check_app_id(app_id),
        "VERSION": _check_version(version),
        "DEVELOPER_NAME": _check_developer(developer_name),
        "WEBSITE_URL": website,
        "PRIVACY_URL": _check_url(privacy or website, "Integritetssidan (--privacy)"),
        "TERMS_URL": _check_url(terms or website, "Användarvillkoren (--terms)"),
        "DOMAIN": _check_domain(domain),
    }
    return _fill(json.loads(template.read_text(encoding="utf-8")), values)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_package(app_id: str, out: Path, *, version: str = DEFAULT_VERSION,
                  developer_name: str = DEFAULT_DEVELOPER, website: str = DEFAULT_WEBSITE,
                  privacy: str | None = None, terms: str | None = None, domain: str | None = None,
                  folder: Path = HERE) -> Path:
    """Write the package to ``out`` (replaced whole, never half-written) and return its path."""
    manifest = render_manifest(app_id, version=version, developer_name=developer_name, website=website,
                               privacy=privacy, terms=terms, domain=domain, template=folder / TEMPLATE.name)
    missing = [name for name in ICONS if not (folder / name).is_file()]
    if missing:
        raise ValueError(f"Ikonerna saknas i {folder}: {', '.join(missing)}. Skapa dem med "
                         "”python manifest/icons.py”.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".samverkan-", suffix=".zip", dir=out.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as package:
            text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
            package.writestr(_entry("manifest.json"), text.encode("utf-8"))
            for name in ICONS:
                package.writestr(_entry(name), (folder / name).read_bytes())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def summary(path: Path) -> str:
    """What an administrator needs to see after a build, in Swedish, read back from the package itself."""
    with zipfile.ZipFile(path) as package:
        manifest = json.loads(package.read("manifest.json"))
    developer = manifest["developer"]
    domains = ", ".join(manifest.get("validDomains") or []) or "ingen angiven (--domain)"
    lines = [
        f"Skrev Teams-app-paketet {path}",
        f"  Schema:       manifest {manifest['manifestVersion']}",
        f"  App-id:       {manifest['id']} (samma som botens Microsoft App ID)",
        f"  Version:      {manifest['version']}",
        f"  Utvecklare:   {developer['name']}, {developer['websiteUrl']}",
        f"  Integritet:   {developer['privacyUrl']}",
        f"  Villkor:      {developer['termsOfUseUrl']}",
        f"  Domän:        {domains}",
        f"  Filer:        {', '.join(PACKAGE_FILES)}",
    ]
    if developer["websiteUrl"] in (developer["privacyUrl"], developer["termsOfUseUrl"]):
        lines.append("Obs: integritetssidan eller användarvillkoren pekar på webbplatsen. Ange sidor om "
                     "personuppgiftsbehandlingen med --privacy och --terms innan appen publiceras i organisationen.")
    lines.append("Ladda upp paketet i Teams administrationscenter (Teams-appar → Hantera appar → Ladda upp ny app). "
                 "Höj --version vid varje ändring.")
    return "\n".join(lines)
