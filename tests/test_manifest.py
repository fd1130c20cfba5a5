"""The Teams app package: what Teams checks on upload, checked here first, offline.

The manifest is validated against Microsoft's published schema, vendored in manifest/schema/ (see SOURCE.md
there), plus the limits Teams documents but the schema leaves looser (bot command titles and descriptions).
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, Draft6Validator, validators
from PIL import Image, ImageChops

from bot import cli
from manifest import icons
from manifest.build import PACKAGE_FILES, build_package, check_app_id, render_manifest
from tests.test_cli import samverkan

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_DIR = ROOT / "manifest"
SCHEMA = json.loads((MANIFEST_DIR / "schema" / "MicrosoftTeams.schema.json").read_text(encoding="utf-8"))
# The schema declares Draft 4 but pins manifestVersion with the later "const"; checked too, as Teams does.
TeamsSchemaValidator = validators.extend(Draft4Validator, {"const": Draft6Validator.VALIDATORS["const"]})

APP_ID = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
OPTIONS = {"version": "1.2.3", "domain": "https://bot.almhult.se/api/messages",
           "website": "https://www.almhult.se", "privacy": "https://www.almhult.se/integritet",
           "terms": "https://www.almhult.se/villkor"}
SCOPES = ("personal", "team", "groupChat")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return build_package(APP_ID, tmp_path_factory.mktemp("teams") / "samverkansboten.zip", **OPTIONS)


@pytest.fixture(scope="module")
def manifest(package) -> dict:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read("manifest.json").decode("utf-8"))


def _image(package: Path, name: str) -> Image.Image:
    with zipfile.ZipFile(package) as archive:
        image = Image.open(BytesIO(archive.read(name)))
        image.load()
    return image


def test_the_zip_is_flat_with_exactly_the_three_files(package):
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == sorted(PACKAGE_FILES)
        assert archive.testzip() is None


def test_the_manifest_validates_against_microsofts_schema_for_its_version(manifest):
    version = manifest["manifestVersion"]
    assert version == "1.24"
    assert SCHEMA["properties"]["manifestVersion"]["const"] == version  # the vendored file is that version
    assert manifest["$schema"] == f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in TeamsSchemaValidator(SCHEMA).iter_errors(manifest)]
    assert errors == []


def test_the_validator_catches_what_teams_refuses(manifest):
    """Guards the test above: a validator that let everything through would pass it too."""
    broken = json.loads(json.dumps(manifest))
    broken["manifestVersion"] = "1.23"
    broken["bots"][0]["scopes"] = ["personal", "groupchat"]  # lower-case is invalid from 1.17
    broken["developer"]["privacyUrl"] = "almhult.se"
    del broken["accentColor"]
    errors = TeamsSchemaValidator(SCHEMA).iter_errors(broken)
    paths = {"/".join(map(str, error.absolute_path)) or error.validator for error in errors}
    assert {"manifestVersion", "bots/0/scopes/1", "developer/privacyUrl", "required"} <= paths


def test_every_placeholder_is_filled_from_the_options(package, manifest):
    with zipfile.ZipFile(package) as archive:
        text = archive.read("manifest.json").decode("utf-8")
    assert "${{" not in text and "}}" not in text
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID.lower()
    assert manifest["version"] == "1.2.3"
    assert manifest["developer"] == {"name": "Älmhults kommun", "websiteUrl": "https://www.almhult.se",
                                     "privacyUrl": "https://www.almhult.se/integritet",
                                     "termsOfUseUrl": "https://www.almhult.se/villkor"}
    assert manifest["validDomains"] == ["bot.almhult.se"]


def test_defaults_without_options_still_make_a_valid_manifest():
    built = render_manifest(APP_ID)
    assert built["version"] == "1.0.0"
    assert built["validDomains"] == []
    assert set(built["developer"].values()) == {"Älmhults kommun", "https://www.almhult.se"}
    assert list(TeamsSchemaValidator(SCHEMA).iter_errors(built)) == []


def test_name_and_description_are_swedish_within_limits_and_say_what_not_to_write(manifest):
    assert manifest["name"]["short"] == "Samverkansboten"
    assert len(manifest["name"]["full"]) <= 100
    assert 0 < len(manifest["description"]["short"]) <= 80
    full = manifest["description"]["full"]
    assert 0 < len(full) <= 4000
    for words in ("automatisk assistent", "personnummer", "minderåriga", "hälsa"):
        assert words in full
    assert manifest["localizationInfo"] == {"defaultLanguageTag": "sv-SE"}
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])


def test_the_bot_is_conversational_in_every_scope_without_files(manifest):
    (bot,) = manifest["bots"]
    assert bot["scopes"] == list(SCOPES)
    assert bot["supportsFiles"] is False and bot["isNotificationOnly"] is False
    assert manifest["permissions"] == ["identity", "messageTeamMembers"]


def test_command_lists_one_per_scope_within_teams_limits(manifest):
    lists = manifest["bots"][0]["commandLists"]
    assert sorted(scope for command_list in lists for scope in command_list["scopes"]) == sorted(SCOPES)
    for command_list in lists:
        commands = command_list["commands"]
        assert 0 < len(commands) <= 10
        titles = [command["title"] for command in commands]
        assert len(set(titles)) == len(titles)
        for command in commands:
            assert 0 < len(command["title"]) <= 32, command
            assert 0 < len(command["description"]) <= 128, command
        assert {"hjälp", "logga", "lägesbild", "försenade åtgärder", "mina åtgärder", "ny åtgärd",
                "medborgarlöften"} <= set(titles)


def test_every_command_in_the_lists_is_one_the_bot_understands(manifest):
    """A command picked from the Teams menu is sent as its title; it must not get 'Det där förstod jag inte'."""
    from dialogs.nlu.intents import understand

    titles = {command["title"] for command_list in manifest["bots"][0]["commandLists"]
              for command in command_list["commands"]}
    not_understood = [title for title in sorted(titles) if understand(title).intent == "unknown"]
    assert not_understood == []


def test_the_colour_icon_is_a_192_pixel_colour_png(package):
    color = _image(package, "color.png")
    assert color.format == "PNG" and color.size == (192, 192) and color.mode in ("RGB", "RGBA")
    assert len(set(color.convert("RGB").getdata())) > 2  # a picture, not a blank square


def test_the_outline_icon_is_white_on_transparent(package):
    outline = _image(package, "outline.png")
    assert outline.format == "PNG" and outline.size == (32, 32) and outline.mode == "RGBA"
    pixels = list(outline.getdata())
    assert all(pixel[3] == 0 or pixel[:3] == (255, 255, 255) for pixel in pixels)
    alphas = [pixel[3] for pixel in pixels]
    assert alphas.count(0) > 100 and alphas.count(255) > 100  # a transparent background and a solid mark


def test_the_committed_icons_are_what_icons_py_draws():
    """Whoever changes the drawing regenerates the PNGs (python manifest/icons.py); small tolerance for Pillow."""
    for name, drawn in (("color.png", icons.color_icon()), ("outline.png", icons.outline_icon())):
        committed = Image.open(MANIFEST_DIR / name)
        assert committed.size == drawn.size and committed.mode == drawn.mode, name
        assert max(high for _, high in ImageChops.difference(committed, drawn).getextrema()) <= 2, name


def test_the_same_options_give_the_same_bytes(package, tmp_path):
    again = build_package(APP_ID, tmp_path / "again.zip", **OPTIONS)
    assert again.read_bytes() == package.read_bytes()


@pytest.mark.parametrize("app_id", ["", "nope", "3F2504E04F8911D39A0C0305E82C3301",
                                    "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "3F2504E0-4F89-11D3-9A0C-0305E82C330"])
def test_an_app_id_that_is_not_a_guid_is_refused_in_swedish(app_id, tmp_path):
    with pytest.raises(ValueError, match="måste vara ett GUID"):
        build_package(app_id, tmp_path / "x.zip")
    assert not any(tmp_path.iterdir())  # nothing half-written


@pytest.mark.parametrize(("option", "value", "message"), [
    ("version", "1.0", "tre tal"),
    ("website", "http://www.almhult.se", "https-adress"),
    ("privacy", "almhult.se/integritet", "https-adress"),
    ("domain", "bot almhult", "värdnamn"),
    ("developer_name", "x" * 33, "Utvecklarens namn"),
])
def test_other_bad_options_are_refused_in_swedish(option, value, message):
    with pytest.raises(ValueError, match=message):
        render_manifest(APP_ID, **{option: value})
    assert check_app_id(f" {APP_ID} ") == APP_ID.lower()


def test_the_command_builds_the_package_and_says_so_in_swedish(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = cli.main(["manifest", "build", "--app-id", APP_ID, "--domain", "bot.almhult.se", "--version", "2.0.1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Skrev Teams-app-paketet samverkansboten.zip" in out and "manifest 1.24" in out
    assert "bot.almhult.se" in out and "--privacy" in out  # privacy and terms defaulted: the admin is told
    with zipfile.ZipFile(tmp_path / "samverkansboten.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["version"] == "2.0.1"


def test_the_command_says_where_the_manifest_folder_is_missing(tmp_path, capsys):
    args = argparse.Namespace(app_id=APP_ID, out=str(tmp_path / "x.zip"), version=None, developer_name=None,
                              website=None, privacy=None, terms=None, domain=None)
    assert cli.manifest_build(args, folder=tmp_path / "manifest") == 2
    assert "källkod" in capsys.readouterr().err


def test_a_bad_guid_exits_2_with_a_swedish_message(tmp_path):
    result = samverkan("manifest", "build", "--app-id", "inte-ett-guid", cwd=tmp_path)
    assert result.returncode == 2
    assert "App-id:t måste vara ett GUID" in result.stderr and "inte-ett-guid" in result.stderr
    assert not (tmp_path / "samverkansboten.zip").exists()
