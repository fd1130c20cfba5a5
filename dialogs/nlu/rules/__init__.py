"""The exact readings: ordered rules on folded text, and each intent's slot readers.

Rules are exact where the words are (``#12``, ``#O3``, commands, settings), and they read every intent's
slots. For everything else their reading is one cue among others for the trained classifier
(``dialogs.nlu.intents``), which decides the intent; the slots are then read here for that intent.

One module per family of intents (``observations``, ``actions``, ``action_changes``, ``meetings``,
``reminders``, ``situation``, ``agreement``, ``members``, ``conversation``) over the shared ``message``;
``ordered`` tries the rules in order, ``readers`` reads an intent's slots. A module's names without a
leading underscore are what its siblings use; the rest stay inside it.
"""

from dialogs.nlu.rules.conversation import asks_what_may_be_written
from dialogs.nlu.rules.observations import is_log_command, is_question_not_for_the_log, says_what_happened
from dialogs.nlu.rules.ordered import rule_reading
from dialogs.nlu.rules.readers import slots_for
from dialogs.nlu.rules.reminders import is_remind_command

__all__ = ["asks_what_may_be_written", "is_log_command", "is_question_not_for_the_log", "is_remind_command",
           "rule_reading", "says_what_happened", "slots_for"]
