"""A mapping that remembers only the most recently used keys: a process-lifetime memory that cannot grow
without bound (the handler's stored-reference fingerprints, the member directory's answers, the Matrix
adapter's own recent events)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, MutableMapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(MutableMapping[K, V]):
    """At most ``size`` entries; reading or writing a key makes it the newest, adding one past ``size``
    forgets the least recently used. What falls out must be cheap to learn again (it is a cache)."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("a Recent memory keeps at least one entry")
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __getitem__(self, key: K) -> V:
        value = self._entries[key]
        self._entries.move_to_end(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __delitem__(self, key: K) -> None:
        del self._entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[K]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
