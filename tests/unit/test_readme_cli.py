"""The README's command lines run as written: each `firstresponse ...` line it shows parses
with the real parser (placeholders filled in), its links lead to files that exist, the
import format it points to is the importer's own, and the `setup` line `devices enrol`
prints works whatever the token begins with."""

from __future__ import annotations

import re
import shlex
from itertools import product
from pathlib import Path

import pytest

from firstresponse.cli import build_parser, main
from firstresponse.commands.devices import setup_line
from firstresponse.history.csv_format import COLUMNS
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
HUB_DB = "postgresql+psycopg://hub@127.0.0.1/firstresponse"
#: What each placeholder the README uses stands for, as a person would type it.
PLACEHOLDERS = {
    "...": HUB_DB,
    "COLLAR": "PC2001",
    "TOKEN": "-Tq3v",  # a token may begin with "-"
    "URL": HUB_DB,
    "TARGET": "hub.db",
    "FILE.csv": "history.csv",
    "PATH": "terminal.db",
    "N": "2",
    "S": "7",
    "QUERY": "Nadia",
    "DIR": "checklists",
}


def _joined(block: str) -> list[str]:
    """The block's lines with backslash continuations joined."""
    return block.replace("\\\n", " ").splitlines()


def _commands(text: str) -> list[str]:
    """Every `firstresponse ...` line of the fenced code blocks, and of inline code that
    shows one whole command (no [optional] parts or | alternatives)."""
    found = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        for line in _joined(block):
            words = line.split()
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value before it
                words.pop(0)
            if words[:1] == ["firstresponse"]:
                found.append(" ".join(words))
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`(firstresponse [^`]+)`", outside):
        words = span.split()
        if len(words) > 2 and not re.search(r"[\[\]|]", span):  # not a verb's name alone
            found.append(" ".join(words))
    return found


def _filled(word: str) -> str:
    option, equals, value = word.rpartition("=")
    if equals and option.startswith("--"):
        return f"{option}={PLACEHOLDERS.get(value, value)}"
    return PLACEHOLDERS.get(word, word)


def _variants(command: str) -> list[list[str]]:
    """The command's words with placeholders filled in, once per `a|b|c` alternative."""
    words = [_filled(word) for word in shlex.split(command, comments=True)]
    choices = [word.split("|") if "|" in word else [word] for word in words[1:]]
    return [list(chosen) for chosen in product(*choices)]


COMMANDS = _commands(README)


def test_the_readme_shows_the_deployment_commands() -> None:
    shown = " ".join(COMMANDS)
    for verb in ("users add", "hub --hub-db", "devices enrol", "setup --hub", "import-history"):
        assert f"firstresponse {verb}" in shown
    assert "--host 0.0.0.0" not in README  # the hub listens on loopback behind the proxy


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_line_parses(command: str) -> None:
    for argv in _variants(command):
        args = build_parser().parse_args(argv)  # argparse exits (SystemExit) on a bad line
        assert getattr(args, "func", None) is not None, argv
        if argv[0] == "setup":
            assert args.token == PLACEHOLDERS["TOKEN"]


def test_one_name_for_the_hubs_database() -> None:
    shown = " ".join(COMMANDS)
    assert "--hub-db" in shown
    assert not re.search(r"firstresponse (hub|devices)[^\n]* --db ", shown)


def test_the_readmes_links_lead_to_files() -> None:
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README):
        assert (REPO / target).exists(), target


def test_the_import_format_is_the_importers_own() -> None:
    doc = (REPO / "docs" / "import-format.md").read_text(encoding="utf-8")
    table = [line for line in doc.splitlines() if line.startswith("| `")]
    assert table == [
        f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.format} | `{c.example}` |"
        for c in COLUMNS
    ]
    assert "`ethnicity`" in doc and "(docs/import-format.md)" in README
    assert "| `incident_ref` |" not in README  # one table, in the docs, not a copy to drift


def test_the_printed_setup_line_works_when_the_token_begins_with_a_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRSTRESPONSE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("FIRSTRESPONSE_NEW_PIN", "1234")
    monkeypatch.setenv("FIRSTRESPONSE_PIN", "1234")
    monkeypatch.setattr("firstresponse.hub.admin.new_token", lambda: "-x9Tq3vLm")
    hub = str(tmp_path / "hub.db")
    assert (
        main(["users", "add", "AD4001", "--name", "Hub Admin", "--role", "admin", "--hub-db", hub])
        == 0
    )
    enrol = ["devices", "enrol", "MDT-1", "--as", "AD4001", "--hub-db", hub]
    assert main([*enrol, "--hub-url", "https://hub.example"]) == 0
    [line] = [x.strip() for x in capsys.readouterr().out.splitlines() if "setup" in x]
    assert line == setup_line("https://hub.example", "-x9Tq3vLm")
    args = build_parser().parse_args(shlex.split(line)[1:])
    assert (args.hub, args.token) == ("https://hub.example", "-x9Tq3vLm")
