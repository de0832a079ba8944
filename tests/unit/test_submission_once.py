"""A submission works out each draft once: one evaluation per draft, one read of the drafts.

Counted with spies on the engine and the drafts query, not timed.
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from typing import Any

import pytest

from firstresponse.attendance import (
    FIRST_RESPONSE,
    RISK,
    open_draft,
    referral_choices,
    save_answers,
    set_referral,
    submission_problems,
    submit,
)
from firstresponse.attendance.submit import prepare
from firstresponse.checklist import Checklist, load_checklists
from firstresponse.checklist import evaluate as real_evaluate
from firstresponse.config import Settings
from firstresponse.demo.answers import first_response_answers, risk_answers
from firstresponse.records import Assessment
from firstresponse.store import Store
from tests.builders import assigned_incident

OFFICER = "PC2001"
#: The module, not the `submit` function the package exports under the same name.
submit_module = importlib.import_module("firstresponse.attendance.submit")


@pytest.fixture
def checklists(settings: Settings) -> dict[str, Checklist]:
    return load_checklists(settings.checklists_dir)


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every evaluation anywhere in the product, counted by checklist id."""
    counted: Counter[str] = Counter()

    def spy(cl: Checklist, *args: Any, **kwargs: Any) -> Any:
        counted[cl.id] += 1
        return real_evaluate(cl, *args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("firstresponse") and getattr(module, "evaluate", None) is real_evaluate:
            monkeypatch.setattr(module, "evaluate", spy)
    return counted


@pytest.fixture
def drafts_read(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often submission reads the officer's drafts and the submitted checklists."""
    counted: Counter[str] = Counter()
    for name in ("drafts_for", "submitted_for"):
        real = getattr(submit_module, name)

        def spy(*args: Any, _real: Any = real, _name: str = name) -> Any:
            counted[_name] += 1
            return _real(*args)

        monkeypatch.setattr(submit_module, name, spy)
    return counted


def _ready(store: Store, checklists: dict[str, Checklist]) -> str:
    """An incident with a complete first response and a complete high-risk checklist whose
    referrals are decided (one declined, with a reason)."""
    fr, risk = checklists[FIRST_RESPONSE], checklists[RISK]
    with store.session() as db:
        incident_id = assigned_incident(db, OFFICER, ("Risks", ["Threats to kill"])).id
        fr_id = open_draft(db, incident_id, fr, OFFICER).id
        risk_id = open_draft(db, incident_id, risk, OFFICER).id
    save_answers(store, fr_id, first_response_answers(), fr)
    high = risk_answers(risk, yes=("very_frightened",), officer_level="high")
    high["officer_level.reason"] = "Threats with a knife last week"
    high["now_detail"] = "Shaking; says he will be back tonight"
    save_answers(store, risk_id, high, risk)
    with store.session() as db:
        draft = db.get(Assessment, risk_id)
        assert draft is not None
        choices = referral_choices(draft, risk)
    assert choices, "the high-risk answers suggest referrals"
    for choice in choices:
        set_referral(store, risk_id, choice.id, choice.id != "idva", "Already has an adviser", risk)
    return incident_id


def test_submitting_evaluates_each_draft_once_and_reads_the_drafts_once(
    store: Store,
    checklists: dict[str, Checklist],
    evaluations: Counter[str],
    drafts_read: Counter[str],
) -> None:
    incident_id = _ready(store, checklists)
    evaluations.clear()
    drafts_read.clear()
    submitted = submit(store, incident_id, OFFICER, checklists)
    assert {a.checklist_id for a in submitted} == {FIRST_RESPONSE, RISK}
    assert evaluations == Counter({FIRST_RESPONSE: 1, RISK: 1})
    assert drafts_read == Counter({"drafts_for": 1, "submitted_for": 1})


def test_checking_what_stops_a_submission_evaluates_each_draft_once(
    store: Store, checklists: dict[str, Checklist], evaluations: Counter[str]
) -> None:
    incident_id = _ready(store, checklists)
    evaluations.clear()
    with store.session() as db:
        assert submission_problems(db, incident_id, OFFICER, checklists) == []
    assert evaluations == Counter({FIRST_RESPONSE: 1, RISK: 1})


def test_a_prepared_submission_is_frozen_and_carries_what_is_written(
    store: Store, checklists: dict[str, Checklist]
) -> None:
    incident_id = _ready(store, checklists)
    with store.session() as db:
        prepared = prepare(db, incident_id, OFFICER, checklists)
        assert prepared.problems == ()
        assert {d.row.checklist_id for d in prepared.drafts} == {FIRST_RESPONSE, RISK}
        risk = prepared.draft(RISK)
        assert risk is not None and prepared.risk is risk.evaluation
        assert prepared.risk.computed["risk_level"] == "high"
        assert {c.accepted for c in risk.referrals} == {True, False}
        with pytest.raises(AttributeError):
            prepared.problems = ("changed",)  # type: ignore[misc]
