"""`import-history FILE --hub-db TARGET`: a force's history onto the hub (SQLite and
PostgreSQL), with the terminal import's checks and idempotence; found by the hub's lookup,
its history served by the hub, and filed by a control-room terminal at its next pull."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from firstresponse.cli import main
from firstresponse.hub.db import hub_engine, transaction
from firstresponse.hub.models import HubChange
from firstresponse.records import Child, Incident, Person, PersonMarker, ProtectiveOrder
from firstresponse.store import Store
from firstresponse.sync.pull import pull_changes
from tests.conftest import REPO
from tests.hub.support import Hub
from tests.unit.test_import_history import HEADER, csv_row

ORDER = {"order_kind": "restraining_order", "order_starts": "2024-01-15"}
FIRST = {"incident_ref": "WM24/7", "occurred_at": "2024-01-02 21:30"}
SECOND = {"incident_ref": "WM24/9", "occurred_at": "2024-06-20 23:10"}
VICTIM = {"role": "victim", "person_ref": "P10", "forename": "Nadia", "surname": "Quill",
          "dob": "1990-02-03", "postcode": "WR5 2DX", "markers": "repeat_victim",
          "relationship": "ex_partner", "risk_level": "high"}  # fmt: skip
SUSPECT = {"role": "suspect", "person_ref": "P11", "forename": "Owen", "surname": "Trask",
           "dob": "1987-11-30", "markers": "violence"}  # fmt: skip
ROWS = [
    csv_row(**FIRST, **VICTIM),
    csv_row(**FIRST, **SUSPECT, **ORDER),
    csv_row(
        **FIRST, role="child", person_ref="P12", forename="Ella", surname="Quill", dob="2019-05-05"
    ),
    csv_row(**SECOND, **VICTIM),
    csv_row(**SECOND, **SUSPECT, order_kind="warrant", order_starts="2024-07-01"),
    csv_row(**{**SECOND, "occurred_at": "last week"}, **SUSPECT),  # line 7: refused
]


def _counts(hub: Hub) -> tuple[int, int, int]:
    with transaction(hub.engine) as db:
        return tuple(  # type: ignore[return-value]
            db.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Person, Incident, HubChange)
        )


def test_history_onto_the_hub_is_found_served_and_pulled(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "extract.csv"
    extract.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    command = ["import-history", str(extract), "--hub-db", hub.target]
    assert main(command) == 1  # one bad row, reported by its line; the rest imported
    out, err = capsys.readouterr()
    assert f"{extract}:7: occurred_at 'last week' is not a date and time" in err
    assert "6 rows read: 5 imported, 1 bad. Added 3 people" in out
    assert "2 incidents, 1 children, 2 orders to the hub's database" in out
    people, incidents, changes = _counts(hub)
    assert (people, incidents) == (3, 2)

    with hub.client(hub.enrol(), "CH1001") as client:
        [victim, *_] = client.search(name="Nadia Quil", dob="1990-02-03")
        assert victim.name == "Nadia Quill"
        history = client.person_history(victim.person_id)
        assert "repeat_victim" in history.markers and history.last_risk_level == "high"
        assert sorted(order.kind for order in history.orders) == ["restraining_order", "warrant"]
        assert len(history.incidents) == 2
        [suspect, *_] = client.search(name="Owen Trask")
        assert "violence" in client.person_history(suspect.person_id).markers

        store = Store(tmp_path / "control-room.db")  # a control-room terminal's first pull
        try:
            assert pull_changes(store, client) == 1  # the chunk's records in one batch
            with store.session() as db:
                held = db.get(Person, victim.person_id)
                assert held is not None and held.source_ref == "P10"
                refs = db.exec(select(Incident.reference).order_by(Incident.reference)).all()
                assert [ref for (ref,) in refs] == ["WM24/7", "WM24/9"]
                assert db.exec(select(func.count()).select_from(Child)).one()[0] == 1
        finally:
            store.close()

    assert main(command) == 1  # the same file again adds nothing, and sends nothing
    assert "Added 0 people, 0 aliases, 0 markers, 0 incidents" in capsys.readouterr().out
    assert _counts(hub) == (people, incidents, changes)


def test_a_hub_database_that_does_not_exist_is_not_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    extract = tmp_path / "extract.csv"
    extract.write_text("\n".join([HEADER, *ROWS[:2]]) + "\n", encoding="utf-8")
    assert main(["import-history", str(extract), "--hub-db", "hub-typo.db"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("import-history: no hub database at hub-typo.db")
    assert len(err.splitlines()) == 1 and not (tmp_path / "hub-typo.db").exists()


def test_a_force_sized_file_onto_the_hub_from_a_fresh_process(
    hub_target: str, tmp_path: Path
) -> None:
    """The command as a force runs it: its own process, several chunks, people recurring
    across them (the feed reads back those written by an earlier chunk)."""
    from tests.unit.test_import_resume import _extract_writer

    extract = tmp_path / "extract.csv"
    rows = _extract_writer()(extract, 6_000)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    run = [sys.executable, "-m", "firstresponse"]
    made = subprocess.run([*run, "hub", "--hub-db", hub_target, "--migrate-only"], env=env)
    assert made.returncode == 0
    done = subprocess.run(
        [*run, "import-history", str(extract), "--hub-db", hub_target],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the extract holds a few bad rows
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{rows} rows read: ") and "to the hub's database" in summary
    engine = hub_engine(hub_target)
    try:
        with transaction(engine) as db:
            people = db.execute(select(func.count()).select_from(Person)).scalar_one()
            written = sum(
                db.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Person, PersonMarker, Incident, Child, ProtectiveOrder)
            )
            bodies = db.execute(select(HubChange.body).where(HubChange.topic == "lookup"))
            batches = [json.loads(body) for (body,) in bodies]
        carried = [item["record"]["id"] for batch in batches for item in batch["records"]]
        assert people > 1_000 and len(carried) == len(set(carried)) == written  # each once
        assert len(batches) < written / 500
    finally:
        engine.dispose()
