"""No key meant for one box lands in another, typed at full speed (bursts): F2 goes to the
reason the last answer needs first, and a choice jumped to by F2 or the screen is not
answered by the rest of what was being typed."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from firstresponse.checklist import load_checklists
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.form.item import ItemField
from firstresponse.tui.widgets.type_ahead import BURST_GAP, TypeAheadApp
from tests.functional.forms import burst
from tests.functional.pilot import settle

FIRST_RESPONSE = load_checklists(Path(__file__).resolve().parents[2] / "checklists")[
    "first_response"
]
A_CHILD = {"children_present": "yes", "children": [{"name": "Child A"}]}


class Form(TypeAheadApp, App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.form = ChecklistForm(FIRST_RESPONSE, A_CHILD)

    def compose(self) -> ComposeResult:
        yield self.form


def item(form: ChecklistForm, path: str) -> ItemField:
    found = form.field(path)
    assert isinstance(found, ItemField)
    return found


async def test_f2_goes_to_the_reason_a_no_needs_and_the_next_question_stays_unanswered() -> None:
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.form
        await form.build_all()
        seen = item(form, "children[0].seen")
        assert isinstance(seen.control, ChoiceField)
        seen.control.focus()
        await pilot.pause()
        burst(app, "<right> <f2>asleep at a friend's house")  # No, F2, the reason
        await settle(pilot, lambda: seen.reason_box is not None and seen.reason_box.value)
        await settle(pilot, lambda: seen.reason_box.value == "asleep at a friend's house")
        assert form.answers["children"][0]["seen"] == "no"
        assert "spoken_to" not in form.answers["children"][0]  # never invented


async def test_text_typed_on_past_f2_does_not_answer_the_choice_it_jumped_to() -> None:
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.form
        await form.build_all()
        form.query_one("#c-children-0-age").focus()
        await pilot.pause()
        burst(app, "6<f2> in the same room")  # F2 to "Where was the child", typing on
        location = item(form, "children[0].location").control
        await settle(pilot, lambda: app.focused is location)
        await pilot.pause(0.1)
        assert form.answers["children"][0]["age"] == 6
        assert "location" not in form.answers["children"][0]
        await pilot.pause(BURST_GAP)  # the officer looks, then chooses: Space acts
        await pilot.press("space")
        await settle(pilot, lambda: "location" in form.answers["children"][0])
        assert form.answers["children"][0]["location"] == "same_room"
