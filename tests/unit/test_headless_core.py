"""Only `firstresponse.tui` may import Textual: the core stays headless."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "firstresponse"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "tui" not in path.relative_to(SRC).parts[:1] and "textual" in _imports(path)
    ]
    assert offenders == []


def test_the_check_sees_the_tui_importing_textual() -> None:
    assert "textual" in _imports(SRC / "tui" / "app.py")


def test_the_checklist_engine_loads_no_database_or_ui_code() -> None:
    """Imported in a fresh interpreter, the engine brings in neither SQLAlchemy nor Textual."""
    import subprocess
    import sys

    heavy = "{'sqlalchemy', 'sqlmodel', 'textual'}"
    probe = (
        "import sys, firstresponse.checklist; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_command_line_loads_no_database_code_until_a_verb_runs() -> None:
    """Building `firstresponse`'s parser imports every command module: each must stay light
    (`--help` is asked for its start-up time)."""
    import subprocess
    import sys

    heavy = "{'sqlalchemy', 'sqlmodel', 'textual', 'httpx'}"
    probe = (
        "import sys; from firstresponse.cli import build_parser; build_parser(); "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_modules_import_each_other_plainly(tmp_path: Path) -> None:
    """No module loads another of this package by name: a shim would hide a missing
    dependency or a layer crossed upwards (the command line lists its verbs, too)."""
    offenders = [
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if "importlib" in _imports(path)
    ]
    assert offenders == []
    shim = tmp_path / "shim.py"
    shim.write_text("import importlib\n", encoding="utf-8")
    assert "importlib" in _imports(shim)  # the check sees one


def test_every_verb_module_is_on_the_command_line() -> None:
    from firstresponse.cli import VERBS

    defines_register = {
        path.stem
        for path in (SRC / "commands").glob("*.py")
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "register"
            for node in ast.parse(path.read_text(encoding="utf-8")).body
        )
    }
    assert {verb.__name__.rsplit(".", 1)[1] for verb in VERBS} == defines_register
