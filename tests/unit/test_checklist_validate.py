"""`firstresponse checklists validate`: every malformed file fails with file, line, reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from firstresponse.cli import main

REPO = Path(__file__).resolve().parents[2]
HEAD = 'id = "demo"\nversion = "1"\ntitle = "Demo"\n'
ITEM = '[[items]]\nid = "{id}"\ntype = "{type}"\nlabel = "L"\n'


def validate(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> tuple[int, str]:
    code = main(["checklists", "validate", str(folder), *extra])
    out = capsys.readouterr()
    return code, out.err + out.out


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "lists"
    folder.mkdir(exist_ok=True)
    (folder / "demo.toml").write_text(text, encoding="utf-8")
    return folder


def test_shipped_checklists_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, REPO / "checklists")
    assert code == 0, out
    for name in ("thrive", "safety_advice", "first_response", "risk", "dip_sample_review"):
        assert f"ok  {name}" in out


def test_missing_standard_checklist_fails_unless_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path, HEAD + ITEM.format(id="a", type="text"))
    code, out = validate(capsys, folder)
    assert code == 1 and "no checklist with id 'thrive'" in out
    assert validate(capsys, folder, "--partial")[0] == 0


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (HEAD + '[[items]]\nid = "a"\ntype = "text"\nlabel = "L\n', 7, "not valid TOML"),
        (HEAD + ITEM.format(id="a", type="colour"), 5, "unknown type 'colour'"),
        (
            HEAD + ITEM.format(id="a", type="text") + ITEM.format(id="a", type="text"),
            9,
            "item id 'a' is used twice (first on line 5)",
        ),
        (
            HEAD + ITEM.format(id="a", type="text") + "\n" + ITEM.format(id="b", type="text")
            + 'when = { answer = "nosuch", equals = "x" }\n',
            13,
            "refers to unknown item 'nosuch'",
        ),
        (
            HEAD + ITEM.format(id="a", type="yesno") + 'when = { answer = "b", equals = "yes" }\n'
            + ITEM.format(id="b", type="yesno") + 'when = { answer = "a", equals = "yes" }\n',
            5,
            "circular conditions: item 'a' -> item 'b' -> item 'a'",
        ),
        (
            HEAD + ITEM.format(id="a", type="yesno") + ITEM.format(id="b", type="text")
            + 'when = { answer = "a", ne = "maybe" }\n',
            12,
            "'maybe' is not an option of item 'a'",
        ),
        (
            HEAD + ITEM.format(id="a", type="text") + 'when = { answer = "a", like = "x" }\n',
            5,
            "unknown operator like",
        ),
        (
            HEAD + ITEM.format(id="a", type="text") + "requird = true\n",
            8,
            "unknown field 'requird'",
        ),
        (
            HEAD + ITEM.format(id="a", type="text")
            + '\n[[computed]]\nid = "c"\nitems = ["a"]\n\n[[flags]]\nid = "f"\n'
            'when = { computed = "c", gte = 1 }\n\n[[flags]]\nid = "g"\nwhen = { flag = "h" }\n',
            19,
            "flag 'g' refers to unknown flag 'h'",
        ),
        (
            HEAD + ITEM.format(id="a", type="text")
            + '\n[[flags]]\nid = "f"\nwhen = { flag = "g" }\n'
            + '\n[[flags]]\nid = "g"\nwhen = { flag = "f" }\n',
            10,
            "circular conditions: flag 'f' -> flag 'g' -> flag 'f'",
        ),
        (
            HEAD + ITEM.format(id="a", type="text")
            + '\n[[referrals]]\nid = "r"\nlable = "R"\nwhen = { answer = "a" }\n',
            11,
            "referral: unknown field 'lable'",
        ),
        (HEAD + ITEM.format(id="a", type="note") + "required = true\n", 5, "cannot be required"),
        (
            HEAD + ITEM.format(id="a", type="group") + '\n[[items.items]]\nid = "b"\n'
            'type = "group"\nlabel = "B"\n\n[[items.items]]\nid = "c"\ntype = "text"\n'
            'label = "C"\n',
            10,
            "groups cannot be nested",
        ),
    ],
    ids=[
        "bad-toml", "unknown-type", "duplicate-id", "unknown-ref", "cycle", "bad-option",
        "bad-operator", "typo-field", "unknown-flag", "flag-cycle", "rule-typo",
        "note-required", "nested-group",
    ],
)  # fmt: skip
def test_malformed_files_fail_with_line_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, reason: str
) -> None:
    folder = write(tmp_path, text)
    code, out = validate(capsys, folder, "--partial")
    assert code == 1
    assert f"{folder / 'demo.toml'}:{line}: " in out, out
    assert reason in out


def test_undeclared_fact_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = HEAD.replace('title = "Demo"\n', 'title = "Demo"\nfacts = ["known"]\n')
    text += ITEM.format(id="a", type="text") + 'when = { fact = "unknwn" }\n'
    code, out = validate(capsys, write(tmp_path, text), "--partial")
    assert code == 1
    assert "demo.toml:9: item 'a' 'when' refers to unknown fact 'unknwn'" in out


def test_broken_copy_of_shipped_thrive_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(REPO / "checklists", folder)
    source = (folder / "thrive.toml").read_text("utf-8")
    broken = source.replace(
        '{ answer = "injuries", in = ["yes", "unknown"] }\nrequired',
        '{ answer = "injurys", in = ["yes", "unknown"] }\nrequired',
        1,
    )
    assert broken != source
    (folder / "thrive.toml").write_text(broken, "utf-8")
    line = broken.splitlines().index('when = { answer = "injurys", in = ["yes", "unknown"] }') + 1
    code, out = validate(capsys, folder)
    assert code == 1
    assert f"thrive.toml:{line}: item 'medical_help' 'when' refers to unknown item 'injurys'" in out


def test_duplicate_checklist_id_across_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path, HEAD + ITEM.format(id="a", type="text"))
    (folder / "other.toml").write_text(HEAD + ITEM.format(id="a", type="text"), "utf-8")
    code, out = validate(capsys, folder, "--partial")
    assert code == 1 and "checklist id 'demo' is also used by" in out


def test_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, tmp_path / "nowhere", "--partial")
    assert code == 1 and "no such folder" in out
