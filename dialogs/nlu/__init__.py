"""Swedish language understanding: what a user wants (intent) and the details they gave (slots).

The contract (intents, slots, time conventions, the ``python -m dialogs.nlu`` command) is the corpus
README's, extended in ``docs/understanding.md``. The safety screen comes first; a trained classifier,
with exact rules beside it, decides the intent; the rules read the slots. What is unsure carries its
alternatives, so the bot asks instead of guessing.
"""

from dialogs.nlu.intents import prepare_understanding, reading_for, safety_verdict, understand
from dialogs.nlu.reading import Understanding, Unread
from dialogs.nlu.unread import TimeAnswer, time_in_answer
from domain.text import fold

__all__ = ["Understanding", "Unread", "understand", "reading_for", "safety_verdict", "prepare_understanding", "fold",
           "TimeAnswer", "time_in_answer"]
