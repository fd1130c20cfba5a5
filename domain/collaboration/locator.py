"""Map key paths such as ``forums[1].synonyms`` to line numbers in TOML text.

``tomllib`` returns plain dicts without positions, so validation problems would otherwise lack the
line a coordinator must edit. This is a small position-only scanner: it follows table headers,
arrays of tables, dotted and quoted keys, inline tables and arrays, and skips strings and comments
so their contents are never mistaken for keys. It tolerates malformed input (it never raises), but
it is meant for text that ``tomllib`` has already accepted.
"""

from __future__ import annotations

import bisect
import json
import re
import tomllib

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PATH_TOKEN = re.compile(
    r'\s*(?:(?P<bare>[A-Za-z0-9_-]+)|(?P<quoted>"(?:[^"\\]|\\.)*")|\[(?P<index>\d+)\])\s*'
)
_SCALAR_END = set(",]}\n#")


def format_path(path: KeyPath) -> str:
    """Render a key path for messages: ``forums[1].synonyms``, ``"odd.key"`` quoted."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            key = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            out.append(f".{key}" if out else key)
    return "".join(out)


def parse_path(text: str) -> KeyPath:
    """Inverse of ``format_path``; raises ValueError for malformed paths."""
    parts: list[str | int] = []
    pos = 0
    expect_key = True
    while pos < len(text):
        if not expect_key and text[pos] == ".":
            pos += 1
            expect_key = True
            continue
        match = _PATH_TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"malformed key path {text!r}")
        if match["index"] is not None:
            if not parts:
                raise ValueError(f"malformed key path {text!r}")
            parts.append(int(match["index"]))
            expect_key = False
        elif expect_key:
            parts.append(match["bare"] if match["bare"] is not None else json.loads(match["quoted"]))
            expect_key = False
        else:
            raise ValueError(f"malformed key path {text!r}")
        pos = match.end()
    if expect_key and parts:
        raise ValueError(f"malformed key path {text!r}")
    return tuple(parts)


class KeyLocator:
    """Line numbers (1-based) of keys, table headers and array elements in one TOML text."""

    def __init__(self, text: str) -> None:
        scanner = _Scanner(text)
        try:
            scanner.run()
        except _Stop:
            pass
        self._lines = scanner.lines

    def line_of(self, path: str | KeyPath, *, fallback: bool = True) -> int | None:
        """The line of ``path``; with ``fallback`` the nearest located ancestor's line.

        Falling back means a missing key is reported at its table header, which is where the
        coordinator has to add it.
        """
        key = parse_path(path) if isinstance(path, str) else tuple(path)
        while True:
            if key in self._lines:
                return self._lines[key]
            if not fallback or not key:
                return None
            key = key[:-1]

    def paths(self) -> dict[KeyPath, int]:
        """All located paths, for debugging and tests."""
        return dict(self._lines)


class _Stop(Exception):
    """End of input or unrecoverable confusion; what was located so far is kept."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        self.lines: dict[KeyPath, int] = {}
        self.array_tables: dict[KeyPath, int] = {}

    # -- helpers ----------------------------------------------------------------------------------

    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_left(self.newlines, self.pos if pos is None else pos) + 1

    def peek(self, length: int = 1) -> str:
        return self.text[self.pos : self.pos + length]

    def record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    def skip_blanks(self, newlines: bool = False) -> None:
        chars = " \t\r\n" if newlines else " \t"
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in chars:
                self.pos += 1
            elif ch == "#" and newlines:
                self.skip_line()
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    # -- document ---------------------------------------------------------------------------------

    def run(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_blanks(newlines=True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)
            self.skip_blanks()
            if self.peek() == "#" or self.pos == start:
                self.skip_line()

    def header(self) -> KeyPath:
        line = self.line()
        is_array = self.peek(2) == "[["
        self.pos += 2 if is_array else 1
        keys = self.keys()
        self.skip_blanks()
        self.pos += 2 if is_array else 1
        resolved: KeyPath = ()
        for i, key in enumerate(keys):
            resolved += (key,)
            last = i == len(keys) - 1
            if last and is_array:
                count = self.array_tables.get(resolved, 0)
                self.array_tables[resolved] = count + 1
                self.record(resolved, line)
                resolved += (count,)
            elif resolved in self.array_tables:
                self.record(resolved, line)
                resolved += (self.array_tables[resolved] - 1,)
            self.record(resolved, line)
        return resolved

    def key_value(self, table: KeyPath) -> None:
        line = self.line()
        keys = self.keys()
        if not keys:
            raise _Stop
        path = table
        for key in keys:
            path += (key,)
            self.record(path, line)
        self.skip_blanks()
        if self.peek() != "=":
            raise _Stop
        self.pos += 1
        self.value(path)

    def keys(self) -> list[str]:
        keys: list[str] = []
        while True:
            self.skip_blanks()
            ch = self.peek()
            if ch == '"':
                start = self.pos
                self.basic_string()
                raw = self.text[start : self.pos]
                try:
                    keys.append(tomllib.loads(f"k = {raw}")["k"])
                except tomllib.TOMLDecodeError:
                    keys.append(raw.strip('"'))
            elif ch == "'":
                start = self.pos
                self.literal_string()
                keys.append(self.text[start + 1 : self.pos - 1])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    return keys
                keys.append(match.group())
                self.pos = match.end()
            self.skip_blanks()
            if self.peek() != ".":
                return keys
            self.pos += 1

    # -- values -----------------------------------------------------------------------------------

    def value(self, path: KeyPath) -> None:
        self.skip_blanks()
        ch = self.peek()
        if ch == "{":
            self.inline_table(path)
        elif ch == "[":
            self.array(path)
        elif self.peek(3) in ('"""', "'''"):
            self.multiline_string(self.peek(3))
        elif ch == '"':
            self.basic_string()
        elif ch == "'":
            self.literal_string()
        else:
            start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in _SCALAR_END:
                self.pos += 1
            if self.pos == start:
                raise _Stop

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        while True:
            self.skip_blanks(newlines=True)
            if self.pos >= len(self.text):
                raise _Stop
            if self.peek() == "}":
                self.pos += 1
                return
            self.key_value(path)
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.pos += 1

    def array(self, path: KeyPath) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_blanks(newlines=True)
            if self.pos >= len(self.text):
                raise _Stop
            if self.peek() == "]":
                self.pos += 1
                return
            self.record(path + (index,), self.line())
            self.value(path + (index,))
            index += 1
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.pos += 1

    def basic_string(self) -> None:
        self.pos += 1
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            self.pos += 1
            if ch in '"\n':
                return
        raise _Stop

    def literal_string(self) -> None:
        end = self.text.find("'", self.pos + 1)
        if end < 0:
            raise _Stop
        self.pos = end + 1

    def multiline_string(self, delimiter: str) -> None:
        self.pos += 3
        while self.pos < len(self.text):
            if delimiter == '"""' and self.text[self.pos] == "\\":
                self.pos += 2
                continue
            if self.text.startswith(delimiter, self.pos):
                self.pos += 3
                # Up to two quotes may directly precede the closing delimiter (TOML 1.0).
                extra = 0
                while extra < 2 and self.peek() == delimiter[0]:
                    self.pos += 1
                    extra += 1
                return
            self.pos += 1
        raise _Stop
