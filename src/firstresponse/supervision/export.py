"""Export the compliance figures and the reviews (dip-sample and same-shift high-risk), as
JSON or CSV, with restricted data withheld.

Restricted fields (immigration status, refuge address) and the reviews of
police-workforce-suspect cases are left out unless the user's role may view restricted
records. Every export is audited.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from firstresponse.records import HighRiskReview, Review, User, utcnow
from firstresponse.security import audit
from firstresponse.security.permissions import Action, require
from firstresponse.security.restricted import can_view_restricted
from firstresponse.supervision.cases import aware, load_case, teams
from firstresponse.supervision.compliance import compliance
from firstresponse.supervision.figures import leaders_figures

RESTRICTED_FIELDS = ("immigration_status", "refuge_address")
REVIEW_COLUMNS = [
    "review_id",
    "review_kind",
    "incident_reference",
    "occurred_at",
    "officer",
    "team",
    "reviewer",
    "outcome",
    "points_met",
    "points_not_met",
    "risk_before",
    "risk_after",
    "reason",
    "escalated_to",
    "feedback",
    "reviewed_at",
    "acknowledged_at",
    "police_workforce_suspect",
    *RESTRICTED_FIELDS,
]
#: `review_kind`: a dip-sample review, or a same-shift review of a high-risk submission.
DIP_SAMPLE, HIGH_RISK = "dip_sample", "high_risk"
FIGURE_COLUMNS = ["scope", "group", "metric", "label", "count", "hits", "rate", "median"]


def _refuge_address(answers: list[dict[str, Any]]) -> str:
    for found in answers:
        if isinstance(found.get("refuge_address"), str) and found["refuge_address"].strip():
            return str(found["refuge_address"]).strip()
    return ""


def _when(at: datetime | None) -> str:
    return aware(at).isoformat() if at is not None else ""


def _own_fields(review: Review | HighRiskReview) -> dict[str, Any]:
    """The columns that differ between the two kinds of review."""
    if isinstance(review, HighRiskReview):
        return {
            "review_kind": HIGH_RISK,
            "outcome": review.decision,
            "points_met": "",
            "points_not_met": "",
            "risk_before": review.level_before,
            "risk_after": review.level_after,
            "reason": review.reason,
            "escalated_to": review.escalate_to,
        }
    return {
        "review_kind": DIP_SAMPLE,
        "outcome": review.outcome,
        "points_met": sum(v == "met" for v in review.answers.values()),
        "points_not_met": sum(v == "not_met" for v in review.answers.values()),
        "risk_before": "",
        "risk_after": "",
        "reason": "",
        "escalated_to": "",
    }


def _reviews(
    db: Session, start: datetime, end: datetime
) -> list[tuple[str, Review | HighRiskReview]]:
    """(incident id, review) for the reviews of both kinds made in [start, end), in order."""
    found: list[tuple[str, Review | HighRiskReview]] = []
    for review in db.exec(
        select(Review).where(Review.created_at >= start, Review.created_at < end)
    ):
        found.append((review.subject_id if review.subject_kind == "incident" else "", review))
    query = select(HighRiskReview).where(
        HighRiskReview.created_at >= start, HighRiskReview.created_at < end
    )
    found += [(review.incident_id, review) for review in db.exec(query)]
    return sorted(found, key=lambda pair: (aware(pair[1].created_at), pair[1].id))


def review_rows(
    db: Session, start: datetime, end: datetime, include_restricted: bool
) -> tuple[list[dict[str, Any]], int]:
    """Rows for the reviews made in [start, end), dip-sample and same-shift high-risk alike,
    and how many were withheld as restricted."""
    team_of = teams(db)
    rows, withheld = [], 0
    for incident_id, review in _reviews(db, start, end):
        case = load_case(db, incident_id) if incident_id else None
        suspect = bool(case and case.police_workforce_suspect)
        if suspect and not include_restricted:
            withheld += 1
            continue
        answers = [case.answers(c) for c in ("thrive", "first_response", "risk")] if case else []
        vulnerabilities = answers[0].get("vulnerabilities") if answers else None
        row: dict[str, Any] = {
            "review_id": review.id,
            "incident_reference": case.incident.reference if case else "",
            "occurred_at": _when(case.incident.occurred_at) if case else "",
            "officer": review.officer,
            "team": team_of.get(review.officer, ""),
            "reviewer": review.reviewer,
            **_own_fields(review),
            "feedback": review.feedback,
            "reviewed_at": _when(review.created_at),
            "acknowledged_at": _when(review.acknowledged_at),
            "police_workforce_suspect": suspect,
            "immigration_status": isinstance(vulnerabilities, list)
            and "immigration" in vulnerabilities,
            "refuge_address": _refuge_address(answers),
        }
        if not include_restricted:
            for key in RESTRICTED_FIELDS:
                row.pop(key)
        rows.append(row)
    return rows, withheld


def build_export(
    db: Session, start: datetime, end: datetime, include_restricted: bool
) -> dict[str, Any]:
    """The figures and the reviews for [start, end)."""
    rows, withheld = review_rows(db, start, end, include_restricted)
    return {
        "generated_at": utcnow().isoformat(),
        "restricted_included": include_restricted,
        "figures": compliance(db, start, end).as_dict(),
        "reviews": rows,
        "reviews_withheld_restricted": withheld,
        "leaders": leaders_figures(db, start, end, utcnow()).as_dict(),
    }


def export_for(db: Session, user: User, start: datetime, end: datetime) -> dict[str, Any]:
    """`build_export` as `user` may see it: needs EXPORT; restricted data needs VIEW_RESTRICTED."""
    require(user, Action.EXPORT)
    include = can_view_restricted(user)
    data = build_export(db, start, end, include)
    data["exported_by"] = user.collar
    audit.record(
        db, user.collar, "export", "compliance", "",
        start=start.isoformat(), end=end.isoformat(), reviews=len(data["reviews"]),
        restricted_included=include,
    )  # fmt: skip
    return data


def figure_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures block of an export flattened to one row per scope, group and metric."""
    scopes: list[tuple[str, str, dict[str, Any]]] = [("overall", "", figures["overall"])]
    for scope in ("by_team", "by_officer", "by_week"):
        scopes += [(scope, group, block) for group, block in figures[scope].items()]
    return [
        {"scope": scope, "group": group, **{k: f[k] for k in FIGURE_COLUMNS[2:]}}
        for scope, group, block in scopes
        for f in ({"metric": m, **v} for m, v in block.items())
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula, made inert (OWASP CSV injection).

    Text beginning =, +, -, @, tab or carriage return gets a leading apostrophe, so a
    spreadsheet shows it as text; numbers and other values are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """CSV (RFC 4180: CRLF rows, so a cell holding CR or LF is quoted) with a header,
    every text cell passed through `safe_cell`."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()
