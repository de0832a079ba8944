"""A store that cannot be used is one plain line and a non-zero exit, with what to do
next, for every command that opens it and for the terminal's start: a folder given as
the store, a damaged or cut-short file, a disk that fills up during an import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from firstresponse.cli import main
from firstresponse.security import users
from firstresponse.store import Store, engine
from firstresponse.store.failures import StoreError
from tests.unit.test_import_resume import _counts, _extract_writer

ADMIN = ["--as", "AD4001", "--pin", "1234"]
#: Every verb that opens the terminal's store, with the arguments it needs.
COMMANDS = [
    ["users", "list", *ADMIN],
    ["audit", "verify", *ADMIN],
    ["audit", "show", *ADMIN],
    ["outbox"],
    ["lookup", "Marsh", "--as", "AD4001"],
    ["export", "--from", "2026-01-01", "--to", "2026-02-01", "--out", "x.csv", "--as", "AD4001"],
    ["dip-sample", "--from", "2026-01-01", "--to", "2026-02-01", "--as", "AD4001"],
]


@pytest.fixture(autouse=True)
def _settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.chdir(tmp_path)
    for name in ("COLLAR", "STORE_KEY", "HUB_URL", "DEVICE_TOKEN", "DB_PATH"):
        monkeypatch.delenv(f"FIRSTRESPONSE_{name}", raising=False)
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.db"
    store = Store(path)
    with store.session() as db:
        users.create_user(db, "AD4001", "Demo Admin", "admin", "", "1234")
    store.close()
    return path


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def damage(good: Path, tmp_path: Path, how: str) -> Path:
    path = tmp_path / f"{how}.db"
    shutil.copy(good, path)
    with path.open("r+b") as handle:
        if how == "cut":
            handle.truncate(8192)
        else:  # pages in the middle overwritten
            handle.seek(4096 * 3)
            handle.write(b"\xff" * 4096 * 20)
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_folder_given_as_the_store_is_one_line(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path), *command]) != 0
    line = one_line(capsys)
    assert f"{tmp_path} is a folder, not a store file" in line and "--db" in line


@pytest.mark.parametrize("how", ["cut", "overwritten"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_damaged_store_is_one_line_and_left_as_it_was(
    good: Path, tmp_path: Path, how: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = damage(good, tmp_path, how)
    before = path.read_bytes()
    assert main(["--db", str(path), *command]) != 0
    line = one_line(capsys)
    assert f"{path} is damaged or cut short" in line and "restore the store from a backup" in line
    assert path.read_bytes() == before


@pytest.mark.parametrize("how", ["folder", "cut"])
def test_the_terminal_start_says_the_same_in_one_line(
    good: Path,
    tmp_path: Path,
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The UI opens the store on a thread; it ends, and the command says why."""
    from firstresponse.commands import terminal

    class App:  # the UI's part, as the app does it: ask for the store, end if it fails
        def __init__(self, opening: object) -> None:
            from firstresponse.tui.context import Once

            self.opening = Once(opening)  # type: ignore[arg-type]

        def run(self) -> None:
            self.opening.wait()

        @property
        def context(self) -> App:
            return self

        def close_store(self) -> None:
            self.opening.get()

    monkeypatch.setattr(
        terminal,
        "terminal_app",
        lambda settings, demo=False: App(lambda: terminal.open_store(settings)),
    )
    path = tmp_path if how == "folder" else damage(good, tmp_path, how)
    assert main(["--db", str(path)]) == 2
    said = "is a folder, not a store file" if how == "folder" else "is damaged or cut short"
    assert said in one_line(capsys)


def test_an_import_onto_a_full_disk_is_one_line_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite's own page cap stands in for the disk filling up (SQLITE_FULL, as a full
    disk gives); once space is freed the same command carries on."""
    extract = tmp_path / "extract.csv"
    _extract_writer()(extract, 3_000)
    path = tmp_path / "full.db"
    Store(path).close()
    full = (*engine.PRAGMAS, "PRAGMA max_page_count = 600")
    monkeypatch.setattr(engine, "PRAGMAS", full)
    assert main(["import-history", str(extract), "--db", str(path)]) == 2
    line = one_line(capsys)
    assert "the disk holding" in line and "is full: free some space" in line
    monkeypatch.setattr(engine, "PRAGMAS", full[:-1])  # space freed
    assert main(["import-history", str(extract), "--db", str(path)]) in (0, 1)  # bad rows: 1
    capsys.readouterr()
    clean = tmp_path / "clean.db"
    main(["import-history", str(extract), "--db", str(clean)])
    assert _counts(path) == _counts(clean)


def test_store_raises_the_plain_line_itself(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
