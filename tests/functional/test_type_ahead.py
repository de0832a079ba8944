"""Keys typed faster than the screen answers act in the order typed, in the box they were
meant for (tui.widgets.type_ahead): bursts of keys queued at once, as a lagging terminal
delivers them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input

from firstresponse.checklist import load_checklists
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.picker import Picker
from firstresponse.tui.widgets.type_ahead import TextBox, TypeAheadApp
from tests.functional.forms import burst
from tests.functional.pilot import settle

ITEM = load_checklists(Path(__file__).resolve().parents[2] / "checklists")["first_response"].item(
    "grounds_for_arrest"
)


class Boxes(TypeAheadApp, App[None]):
    BINDINGS = [
        ("f2", "to_choice", "To the choice"),  # as F2 goes to the next missing answer
        ("f5", "grade", "Grade"),  # as F5 grades with the answers the screen has been told
    ]
    told = ""
    graded_with: list[str] = []

    def on_input_changed(self, event: Input.Changed) -> None:
        self.told = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "two":  # Enter there submits: the screen moves on (deferred)
            self.query_one("#one").focus()

    def action_to_choice(self) -> None:
        self.query_one(ChoiceField).focus()

    def action_grade(self) -> None:
        self.graded_with.append(self.told)

    def compose(self) -> ComposeResult:
        yield TextBox(id="one", enter_moves_on=True)
        yield ChoiceField(ITEM, None, id="choice")
        yield TextBox(id="two")


def value(app: App[None], wid: str) -> str:
    return app.query_one(f"#{wid}", Input).value


async def typed(keys: str, done: Callable[[Boxes], bool], into: str = "one") -> dict[str, Any]:
    """`keys` typed into box `into` in one burst: what each box holds once `done(app)`,
    and the answers F5 was run with."""
    app = Boxes()
    app.graded_with = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(f"#{into}").focus()
        await pilot.pause()
        burst(app, keys)
        await settle(pilot, lambda: done(app))
        return {
            "one": value(app, "one"),
            "two": value(app, "two"),
            "choice": app.query_one(ChoiceField).value,
            "graded_with": app.graded_with,
        }


async def test_a_correction_and_a_move_typed_ahead_apply_in_order() -> None:
    held = await typed(" ab\bc\r \tdef", lambda app: value(app, "two") == "def")
    assert held["one"] == "ac"  # Backspace took the "b", not the "c"; no leading blank
    assert held["choice"] == "yes"  # Space chose, before Tab left


async def test_a_screen_key_typed_ahead_acts_before_the_keys_after_it() -> None:
    held = await typed("ab<f2> ", lambda app: app.query_one(ChoiceField).value is not None)
    assert held["one"] == "ab"  # the Space chose; it did not go into the box
    assert held["choice"] == "yes"


async def test_a_screen_key_typed_ahead_sees_the_answer_typed_before_it() -> None:
    held = await typed("Ongoing violence<f5>x", lambda app: value(app, "one").endswith("x"))
    assert held["graded_with"] == ["Ongoing violence"]


class Pickers(TypeAheadApp, App[None]):
    def compose(self) -> ComposeResult:
        yield Picker([("Partner", "partner"), ("Ex partner", "ex"), ("Other", "other")], id="rel")
        yield Picker([("No escalation", ""), ("Duty inspector", "inspector")], id="up",
                     allow_blank=False)  # fmt: skip
        yield TextBox(id="after")


async def test_a_picker_changes_by_arrow_or_letter_and_enter_moves_on() -> None:
    app = Pickers()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#rel").focus()
        await pilot.pause()
        burst(app, "e<right>\r<right><right>\rdone")
        await settle(pilot, lambda: app.query_one("#after", Input).value == "done")
        rel, up = app.query_one("#rel", Picker), app.query_one("#up", Picker)
        assert (rel.value, up.value) == ("other", "")  # "e", Right: Ex partner, Other
        assert "◀ Other ▶" in str(rel.render())  # the answer is in the text, not a colour


async def test_keys_typed_after_a_submitting_enter_wait_for_the_screen_to_act_on_it() -> None:
    held = await typed("x\ryz", lambda app: value(app, "one") == "yz", into="two")
    assert held["two"] == "x"  # "yz" did not go in behind the Enter
