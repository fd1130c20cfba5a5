"""Swedish language understanding: what a user wants (intent) and the details they gave (slots).

The contract (intents, slots, time conventions, the ``python -m dialogs.nlu`` command) is the one in
the project's corpus README; this package grows to cover it. Anything not understood confidently is
``unknown``, so the bot says what it can do instead of guessing.
"""

from dialogs.nlu.intents import Understanding, understand
from dialogs.nlu.text import fold

__all__ = ["Understanding", "understand", "fold"]
