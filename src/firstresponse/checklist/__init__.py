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
from firstresponse.checklist.item_types import (
    Control,
    ItemType,
    TypeSpec,
    check_value,
    coerce,
    control_of,
    placeholder_of,
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
    "Control",
    "DecisionNeeded",
    "Evaluation",
    "Issue",
    "Item",
    "ItemType",
    "Referral",
    "Rule",
    "TypeSpec",
    "check_directory",
    "check_file",
    "check_value",
    "coerce",
    "control_of",
    "evaluate",
    "is_answered",
    "load_checklist",
    "load_checklists",
    "placeholder_of",
    "reason_key",
    "with_fact_entries",
]
