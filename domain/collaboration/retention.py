"""The ``[retention]`` section: the retention decision (gallringsbeslut) and each kind's age in months.

Optional: without it the bot deletes nothing. Checked apart from checker.py so that the rules of the decision
(a positive age, the decision named whenever an age is set) read in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Retention
from .schema import RETENTION

if TYPE_CHECKING:
    from .checker import Checker

AGE_KEYS = ("observations_months", "audit_log_months")
# An age beyond this many years is taken for a typo (months written as days, say).
MAX_MONTHS = 12 * 100


def check_retention(checker: Checker, table: Any) -> tuple[bool, Retention | None]:
    """``(ok, decision)``: a missing section is ok and no decision; problems are reported to ``checker``."""
    if table is None:
        return True, None
    values = checker.section(table, "retention", RETENTION)
    if values is None:
        return False, None
    ok = True
    for key in AGE_KEYS:
        months = values[key]
        if months is not None and not 1 <= months <= MAX_MONTHS:
            checker.problem(("retention", key), f"must be a positive number of months (1–{MAX_MONTHS}), "
                                                f"not {months}")
            ok = False
    ages = [key for key in AGE_KEYS if values[key] is not None]
    if ages and not values["decision"].strip():
        checker.problem(("retention", "decision"), "missing the retention decision: name it, e.g. "
                        "decision = \"Dokumenthanteringsplan KS 2025/123, beslutad 2025-05-12\", "
                        f"when {' and '.join(ages)} {'is' if len(ages) == 1 else 'are'} set")
        ok = False
    if not ok:
        return False, None
    if not ages:
        return True, None  # a decision without ages deletes nothing
    return True, Retention(values["decision"].strip(), values["observations_months"], values["audit_log_months"])
