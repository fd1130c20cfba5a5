"""Load and validate a collaboration TOML file, reporting every problem with its line.

A coordinator edits this file by hand, so one run of ``check_file`` should list all mistakes at
once (like a compiler) instead of failing on the first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .checker import Checker
from .errors import ConfigError, ConfigProblem
from .locator import KeyLocator
from .model import Collaboration

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")

DEFAULT_CONFIG_PATH: Path = Path(__file__).resolve().parent / "defaults" / "almhult-ljungby.toml"


def load_collaboration(path: str | Path = DEFAULT_CONFIG_PATH) -> Collaboration:
    """Read and validate ``path``; raises ``ConfigError`` carrying every problem found."""
    text, problems = _read(path)
    collaboration = None
    if text is not None:
        collaboration, problems = _parse(text, str(path))
    if collaboration is None:
        raise ConfigError(f"invalid collaboration file {path}", problems)
    return collaboration


def check_file(path: str | Path) -> list[ConfigProblem]:
    """All problems in ``path``, sorted by line; empty when the file is valid."""
    text, problems = _read(path)
    if text is None:
        return problems
    return _parse(text, str(path))[1]


def _read(path: str | Path) -> tuple[str | None, list[ConfigProblem]]:
    try:
        # utf-8-sig: Windows editors (Notepad) may save a BOM that tomllib rejects.
        return Path(path).read_text(encoding="utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [ConfigProblem(None, "", f"file is not UTF-8 text ({exc.reason})", str(path))]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [ConfigProblem(None, "", f"cannot read file: {reason}", str(path))]


def _parse(text: str, file: str) -> tuple[Collaboration | None, list[ConfigProblem]]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax_problem(exc, text, file)]
    checker = Checker(KeyLocator(text), file)
    collaboration = checker.collaboration(document)
    problems = sorted(checker.problems, key=lambda p: (p.line is None, p.line or 0))
    return (None if problems else collaboration), problems


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str, file: str) -> ConfigProblem:
    message = str(exc)
    line: int | None = None
    match = _TOML_POSITION.search(message)
    if match:
        message = message[: match.start()]
        if match[1]:
            line = int(match[1])
            message += f" (column {match[2]})"
        else:
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            message += " (at end of file)"
    return ConfigProblem(line, "", f"TOML syntax error: {message}", file)
