"""Configuration errors shared by settings and the collaboration loader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem in a configuration file, located so that an editor can jump to it.

    ``path`` is the key path inside the document (``forums[1].synonyms``), ``file`` the file as the
    caller named it; both may be empty when unknown (for example a file that cannot be read).
    """

    line: int | None
    path: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        head = [part for part in (self.file, str(self.line) if self.line is not None else "") if part]
        prefix = ":".join(head)
        parts = [prefix] if prefix else []
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        return ": ".join(parts)


class ConfigError(Exception):
    """Raised for invalid settings or an invalid collaboration file.

    Carries every ``ConfigProblem`` found so callers (e.g. a ``check`` command) can show them all
    rather than one at a time.
    """

    def __init__(self, message: str, problems: Iterable[ConfigProblem] = ()) -> None:
        self.problems: tuple[ConfigProblem, ...] = tuple(problems)
        if self.problems:
            message = message + "\n" + "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(message)
