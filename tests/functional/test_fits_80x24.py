"""Nothing scrolled or cut at 80x24: every option of every question is drawn within the
field's own lines, a box shows the start of its text once left, a reason box says
"(required)"."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from firstresponse.checklist import Item, load_checklists
from firstresponse.checklist.item_types import Control, control_of
from firstresponse.tui.widgets.choice import ChoiceField

LISTS = load_checklists(Path(__file__).resolve().parents[2] / "checklists")


def _items(items: tuple[Item, ...] | list[Item]) -> list[Item]:
    found = []
    for item in items:
        found.append(item)
        found += _items(item.items or ())
    return found


def test_every_option_of_every_question_fits_the_fields_own_lines() -> None:
    for checklist in LISTS.values():
        for item in _items(checklist.items):
            if control_of(item) not in (Control.CHOICE, Control.CHOICES):
                continue
            field = ChoiceField(item, None, id="q")
            for width in (62, 76):
                lines: list[Text] = field._draw(width)
                assert all(line.cell_len <= width for line in lines), (item.id, width)
                drawn = "\n".join(line.plain for line in lines)
                for _, label in item.options:
                    last_word = label.split()[-1]
                    assert last_word in drawn, (checklist.id, item.id, label)


async def test_the_last_questions_bottom_option_is_on_screen() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer

    from firstresponse.tui.widgets.checklist_form import ChecklistForm

    class Form(App[None]):
        def compose(self) -> ComposeResult:
            yield ChecklistForm(LISTS["risk"], id="form")
            yield Footer()

    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.query_one(ChecklistForm)
        await form.build_all()
        await pilot.pause()
        last = form.field("officer_level")
        assert last is not None and last.control is not None
        last.control.focus()
        await pilot.pause()
        form.query_one("VerticalScroll").scroll_end(animate=False)
        await pilot.pause()
        region = last.control.region
        assert region.height == last.control.height_at(region.width)
        assert region.bottom <= 24 - 1, region  # above the footer
        drawn = last.control.render().plain.splitlines()
        assert len(drawn) == region.height and "High" in drawn[-1]  # nothing below the edge


async def test_a_box_left_shows_the_start_of_its_text() -> None:
    from textual.app import App, ComposeResult

    from firstresponse.tui.widgets.type_ahead import TextBox, TypeAheadApp
    from tests.functional.pilot import type_text

    class Boxes(TypeAheadApp, App[None]):
        def compose(self) -> ComposeResult:
            yield TextBox(id="happening", enter_moves_on=True)
            yield TextBox(id="suspect")

    app = Boxes()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#happening", TextBox)
        box.focus()
        await pilot.pause()
        await type_text(pilot, "Shouting and banging at the door " * 3 + "her ex partner")
        assert box.scroll_offset.x > 0  # typing at the end scrolls the start out of view
        await pilot.press("tab")
        await pilot.pause()
        assert box.scroll_offset.x == 0  # left: "Shouting…" shows, not "x-partner…"


async def test_a_long_reason_question_is_shown_whole_with_required() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from firstresponse.tui.widgets.checklist_form import ChecklistForm

    answers = {"children_present": "yes", "children": [{"name": "Child A", "seen": "no"}]}

    class Form(App[None]):
        def compose(self) -> ComposeResult:
            yield ChecklistForm(LISTS["first_response"], answers, id="form")

    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.query_one(ChecklistForm)
        await form.build_all()
        await pilot.pause()
        seen = form.field("children[0].seen")
        assert seen is not None and seen.reason_box is not None
        seen.reason_box.focus()
        await pilot.pause()
        prompt = seen.query_one(".cl-reason-prompt", Static)
        lines = prompt.render_lines(prompt.region.reset_offset)
        shown = " ".join(line.text.strip() for line in lines)
        assert shown.endswith("(required)") and "who will see them and when?" in shown
        assert seen.reason_box.placeholder == "Type the reason (required)"


async def test_the_contacts_list_fits_80_columns_in_whole_words(settings, store) -> None:
    from textual.widgets import DataTable

    from firstresponse.tui.app import FirstResponseApp
    from tests.functional.test_followup_contacts import _open_list, _seed

    _seed(store)
    app = FirstResponseApp(settings, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_list(pilot, app)
        table = screen.query_one("#vc-list", DataTable)
        await pilot.pause()
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no cut
        for index, due in enumerate(screen.items):
            shown = str(table.get_row_at(index)[-1])
            assert len(shown) > 16  # more than "Tell the victim…"
            whole = shown.removesuffix("…").rstrip()
            assert due.what.startswith(whole)
            assert len(whole) == len(due.what) or due.what[len(whole)] == " "  # at a word
