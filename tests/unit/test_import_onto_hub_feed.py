"""What the hub's import puts on the feed for each record it wrote is what the record's own
model gives: the same fields, the same JSON (terminals file it as they file any record)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from firstresponse.hub.history_import import FED, Written
from firstresponse.records import Kind
from firstresponse.records.kinds import MODELS

AT = datetime(2024, 1, 2, 21, 30, 5, 120, tzinfo=UTC)
WRITTEN: dict[Kind, dict[str, Any]] = {
    Kind.PERSON: {"id": "p1", "forename": "Nadia", "surname": "Quill", "dob": date(1990, 2, 3),
                  "gender": "F", "ethnicity": "W1", "phone": "", "postcode": "WR5 2DX",
                  "address": "1 Lane", "source_ref": "P10", "created_at": AT},
    Kind.MARKER: {"id": "m1", "person_id": "p1", "marker": "violence", "note": "imported",
                  "added_at": AT, "source": "import", "recorded_by": "import-history",
                  "ended_by": "", "end_reason": ""},  # no ended_at: its default
    Kind.INCIDENT: {"id": "i1", "reference": "WM24/7", "occurred_at": AT, "victim_id": "p1",
                    "suspect_id": None, "relationship": "ex_partner", "address": "",
                    "postcode": "", "summary": "", "risk_level": "high",
                    "crime_recorded": True, "arrest_made": None, "grade": None,
                    "restricted": False, "status": "historic", "source": "import",
                    "source_ref": "WM24/7", "created_by": "import-history"},
    Kind.CHILD: {"id": "c1", "incident_id": "i1", "person_id": "p2", "name": "Ella Quill",
                 "age": 4, "dob": date(2019, 5, 5), "school": "", "where_during": "",
                 "seen": None, "spoken_to": None, "reason": ""},
    Kind.ORDER: {"id": "o1", "kind": "warrant", "subject_id": "p1", "protected_id": "p1",
                 "incident_id": "i1", "detail": "", "starts_on": date(2024, 7, 1),
                 "ends_on": None},
}  # fmt: skip


def test_every_kind_the_import_feeds_is_covered() -> None:
    assert set(FED.values()) == set(WRITTEN)


@pytest.mark.parametrize("kind", sorted(WRITTEN))
def test_written_dumps_as_its_model(kind: Kind) -> None:
    values = WRITTEN[kind]
    model = MODELS[kind].model_validate(values)
    written = Written(kind, values)
    assert written.model_dump(mode="json") == model.model_dump(mode="json")
    assert written.id == values["id"]
    with pytest.raises(AttributeError):
        _ = written.no_such_field
