"""Checklist engine: load declarative TOML checklists and evaluate answers against them.

Pure: no UI and no database. See `checklists/README.md` for the file format.
"""

from firstresponse.checklist.evaluate import (
    DecisionNeeded,
    Evaluation,
    Issue,
    Referral,
    evaluate,
    is_answered,
)
from firstresponse.checklist.loader import (
    check_directory,
    check_file,
    load_checklist,
    load_checklists,
)
from firstresponse.checklist.model import Checklist, Computed, Item, Rule, reason_key
from firstresponse.checklist.prefill import with_fact_entries
from firstresponse.checklist.problems import ChecklistError

__all__ = [
    "Checklist",
    "ChecklistError",
    "Computed",
    "DecisionNeeded",
    "Evaluation",
    "Issue",
    "Item",
    "Referral",
    "Rule",
    "check_directory",
    "check_file",
    "evaluate",
    "is_answered",
    "load_checklist",
    "load_checklists",
    "reason_key",
    "with_fact_entries",
]
