"""Referrals the answers call for, each accepted or declined (declining needs a reason).

A referral the checklist itself asks about (a yes/no item shown `when = { referral = id }`,
e.g. "Has a MARAC referral been made?") is answered through that item and its reason, so
the engine records the `referral_declined` decision. Any other referral's choice lives in
the draft's answers under `_referrals`: {referral id: {accepted, reason}}.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from firstresponse.checklist import Checklist, Evaluation, Item, ItemType, evaluate, reason_key
from firstresponse.checklist.conditions import Test
from firstresponse.records import Assessment
from firstresponse.store import Store

KEY = "_referrals"


@dataclass(frozen=True)
class ReferralChoice:
    """One suggested referral and what the officer chose."""

    id: str
    label: str
    why: str
    assessment_id: str
    accepted: bool | None = None
    reason: str = ""
    item: str = ""  # the checklist item that answers it, if any

    def problem(self, decided: Collection[str] = ()) -> str:
        """Why this cannot be submitted yet, or ''. A referral in `decided` was accepted or
        declined in another of the officer's checklists for the incident: one referral
        is one decision, recorded where it was made."""
        if self.item:
            return ""  # the checklist's own required item and reason cover it
        if self.accepted is None and self.id not in decided:
            return f"Referral not accepted or declined: {self.label}"
        if self.accepted is False and not self.reason.strip():
            return f"Referral declined without a reason: {self.label}"
        return ""


def decided(choices: Iterable[ReferralChoice]) -> set[str]:
    """The referrals accepted or declined among `choices`."""
    return {choice.id for choice in choices if choice.accepted is not None}


def referral_item(checklist: Checklist, referral_id: str) -> Item | None:
    """The yes/no item the checklist shows only when this referral is suggested."""
    for item in checklist.items:
        when = item.when
        if (
            item.type is ItemType.YESNO
            and isinstance(when, Test)
            and when.operand == "referral"
            and when.name == referral_id
            and not when.op
        ):
            return item
    return None


def stored_choices(assessment: Assessment) -> dict[str, dict[str, Any]]:
    value = (assessment.answers or {}).get(KEY)
    return value if isinstance(value, dict) else {}


def referral_choices(
    assessment: Assessment,
    checklist: Checklist,
    facts: dict[str, Any] | None = None,
    evaluation: Evaluation | None = None,
) -> list[ReferralChoice]:
    """The referrals this assessment's answers suggest, with the choices made so far.

    `evaluation`, when the caller has just evaluated these answers, is read instead of
    evaluating them again.
    """
    chosen = stored_choices(assessment)
    answers = assessment.answers or {}
    out = []
    found = evaluation if evaluation is not None else evaluate(checklist, answers, facts)
    for ref in found.referrals:
        item = referral_item(checklist, ref.id)
        if item is not None:
            value = answers.get(item.id)
            choice = {
                "accepted": {"yes": True, "no": False, "unknown": False}.get(value)
                if isinstance(value, str)
                else None,
                "reason": answers.get(reason_key(item.id)) or "",
            }
        else:
            choice = chosen.get(ref.id) or {}
        accepted = choice.get("accepted")
        out.append(
            ReferralChoice(
                id=ref.id,
                label=ref.label,
                why=ref.why,
                assessment_id=assessment.id,
                accepted=accepted if isinstance(accepted, bool) else None,
                reason=str(choice.get("reason") or ""),
                item=item.id if item is not None else "",
            )
        )
    return out


def set_referral(
    store: Store,
    assessment_id: str,
    referral_id: str,
    accepted: bool,
    reason: str = "",
    checklist: Checklist | None = None,
    facts: dict[str, Any] | None = None,
) -> None:
    """Record accept or decline (with reason) for one referral, committed now."""
    from firstresponse.attendance.drafts import save_answers, set_own

    with store.session() as db:
        row = db.get(Assessment, assessment_id)
        if row is None:
            raise KeyError(f"no assessment {assessment_id}")
        answers = dict(row.answers or {})
        current = dict(stored_choices(row))
    item = referral_item(checklist, referral_id) if checklist is not None else None
    if item is not None and checklist is not None:
        answers[item.id] = "yes" if accepted else "no"
        answers[reason_key(item.id)] = "" if accepted else reason.strip()
        save_answers(store, assessment_id, answers, checklist, facts)
        return
    current[referral_id] = {"accepted": accepted, "reason": reason.strip()}
    set_own(store, assessment_id, KEY, current)
