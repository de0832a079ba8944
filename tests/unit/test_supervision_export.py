"""Export: figures and reviews; restricted fields withheld from roles not allowed them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from firstresponse.checklist import load_checklist
from firstresponse.cli import main
from firstresponse.config import Settings
from firstresponse.demo.cases import assessment, incident, person
from firstresponse.records import AuditEvent, Role, User
from firstresponse.security import permissions
from firstresponse.security.permissions import Action, PermissionDenied
from firstresponse.security.pins import hash_pin
from firstresponse.store import Store
from firstresponse.supervision import record_review
from firstresponse.supervision.cases import window
from firstresponse.supervision.export import build_export, export_for
from tests.unit.test_supervision_review import answers

START, END = window(date(2026, 1, 1), date(2099, 12, 31))


@pytest.fixture
def seeded(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    checklist = load_checklist(settings.checklists_dir / "dip_sample_review.toml")
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")  # the commands sign in as the officer
    pin = hash_pin("1234")
    with store.session() as db:
        db.add(
            User(collar="SG3001", name="Sergeant", role=Role.SUPERVISOR, team="Alpha", pin_hash=pin)
        )
        db.add(
            User(collar="PC2001", name="Officer", role=Role.RESPONDER, team="Alpha", pin_hash=pin)
        )
        victim = person(db, "Ava", "Export")
        at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        plain = incident(db, "E-PLAIN", at, victim)
        assessment(db, plain, "thrive", {"vulnerabilities": ["immigration"]}, "CH1001")
        assessment(db, plain, "first_response", {"refuge_address": "1 Haven Row"}, "PC2001")
        secret = incident(db, "E-SUSPECT", at, victim, restricted=True)
        for inc in (plain, secret):
            record_review(db, checklist, "SG3001", inc.id, "PC2001", answers())
    return store


def test_restricted_fields_and_cases_withheld(seeded: Store) -> None:
    with seeded.session() as db:
        hidden = build_export(db, START, END, include_restricted=False)
        shown = build_export(db, START, END, include_restricted=True)
    [row] = hidden["reviews"]
    assert row["incident_reference"] == "E-PLAIN" and hidden["reviews_withheld_restricted"] == 1
    assert "immigration_status" not in row and "refuge_address" not in row
    assert "1 Haven Row" not in json.dumps(hidden) and "E-SUSPECT" not in json.dumps(hidden)
    assert [r["incident_reference"] for r in shown["reviews"]] == ["E-PLAIN", "E-SUSPECT"]
    assert shown["reviews"][0]["refuge_address"] == "1 Haven Row"
    assert shown["reviews"][0]["immigration_status"] is True
    assert shown["reviews"][0]["points_met"] == 11
    assert set(hidden["figures"]) >= {"overall", "by_team", "by_officer", "by_week"}


def test_role_decides(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with seeded.session() as db:
        sergeant = db.exec(select(User).where(User.collar == "SG3001")).one()
        assert export_for(db, sergeant, START, END)["restricted_included"] is True
        reduced = permissions.GRANTS[Role.SUPERVISOR] - {Action.VIEW_RESTRICTED}
        monkeypatch.setitem(permissions.GRANTS, Role.SUPERVISOR, reduced)
        data = export_for(db, sergeant, START, END)
        assert data["restricted_included"] is False and len(data["reviews"]) == 1
        officer = db.exec(select(User).where(User.collar == "PC2001")).one()
        with pytest.raises(PermissionDenied):
            export_for(db, officer, START, END)
        assert [e.action for e in db.exec(select(AuditEvent))].count("export") == 2


def test_cli_writes_csv_and_json(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(seeded.path)
    out = tmp_path / "figures.csv"
    args = ["--db", db, "export", "--from", "2026-01-01", "--to", "2099-12-31", "--as", "SG3001"]
    assert main([*args, "--format", "csv", "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0] == "scope,group,metric,label,count,hits,rate,median"
    reviews = (tmp_path / "figures-reviews.csv").read_text().splitlines()
    assert len(reviews) == 3 and "refuge_address" in reviews[0]
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["reviews"]) == 2
    assert main([*args[:-1], "PC2001", "--format", "json"]) == 1


def test_cli_dip_sample_is_reproducible(seeded: Store, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(seeded.path), "dip-sample", "--from", "2026-03-01", "--to", "2026-03-31"]
    assert main([*args, "--seed", "9", "--rate", "0.5", "--json", "--as", "SG3001"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main([*args, "--seed", "9", "--rate", "0.5", "--json", "--as", "SG3001"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert first["seed"] == 9 and first["items"] == again["items"]
    # E-PLAIN was attended with no risk assessment: always drawn, like the restricted case
    assert [i["reference"] for i in first["items"]] == ["E-PLAIN", "E-SUSPECT"]


def test_a_same_shift_high_risk_review_is_exported_beside_the_dip_sample_reviews(
    seeded: Store,
) -> None:
    from firstresponse.records import Incident
    from firstresponse.supervision.export import REVIEW_COLUMNS, to_csv
    from firstresponse.supervision.high_risk import Submission, record_high_risk_review

    with seeded.session() as db:
        sergeant = db.exec(select(User).where(User.collar == "SG3001")).one()
        plain = db.exec(select(Incident).where(Incident.reference == "E-PLAIN")).one()
        at = datetime(2026, 3, 2, 10, tzinfo=UTC)
        submission = Submission(
            plain.id, "E-PLAIN", "PC2001", "Alpha", at, at, "high", "high", None
        )
        review = record_high_risk_review(
            db, sergeant, submission, "regrade", "No escalation since: medium fits",
            level_after="medium", escalate_to="da_team",
        )  # fmt: skip
        data = build_export(db, START, END, include_restricted=False)
    (row,) = [r for r in data["reviews"] if r["review_kind"] == "high_risk"]
    assert (row["review_id"], row["incident_reference"], row["officer"]) == (
        review.id, "E-PLAIN", "PC2001",
    )  # fmt: skip
    assert (row["outcome"], row["risk_before"], row["risk_after"]) == ("regrade", "high", "medium")
    assert row["reason"] == "No escalation since: medium fits" and row["escalated_to"] == "da_team"
    assert {r["review_kind"] for r in data["reviews"]} == {"dip_sample", "high_risk"}
    reviews = to_csv(data["reviews"], REVIEW_COLUMNS).splitlines()  # as `export` writes them
    assert reviews[0].startswith("review_id,review_kind,") and len(reviews) == 3
    assert next(line for line in reviews if review.id in line).count("No escalation") == 1
