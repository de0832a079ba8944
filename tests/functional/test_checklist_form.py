"""The checklist form widget, driven by keyboard through Pilot at 80x24."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from firstresponse.checklist import load_checklists
from firstresponse.tui.widgets import checklist_form
from firstresponse.tui.widgets.checklist_form import ChecklistForm
from firstresponse.tui.widgets.choice import ChoiceField
from firstresponse.tui.widgets.form.group import GroupField
from firstresponse.tui.widgets.form.item import ItemField
from firstresponse.tui.widgets.marks import CURSOR

LISTS = load_checklists(Path(__file__).resolve().parents[2] / "checklists")


class Harness(App[None]):
    def __init__(self, form: ChecklistForm) -> None:
        super().__init__()
        self.form = form
        self.changes: list[ChecklistForm.Changed] = []

    def compose(self) -> ComposeResult:
        yield self.form

    def on_checklist_form_changed(self, event: ChecklistForm.Changed) -> None:
        self.changes.append(event)


async def opened(pilot: Pilot[None], form: ChecklistForm) -> None:
    """Wait until the form is whole (it mounts its pages after the first frame)."""
    await form.build_all()
    await pilot.pause()


def field(form: ChecklistForm, path: str) -> ItemField:
    found = form.field(path)
    assert isinstance(found, ItemField), f"{path} is not shown"
    return found


def text(form: ChecklistForm, path: str) -> str:
    """What the field shows on screen, line by line as plain text (label, options, issue)."""
    widget = field(form, path)
    shown = widget.control if isinstance(widget.control, ChoiceField) else widget.header
    assert shown is not None
    lines = shown.render_lines(Region(0, 0, shown.size.width, shown.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def label(form: ChecklistForm, path: str) -> str:
    return text(form, path).splitlines()[0]


async def choose(pilot: Pilot[None], form: ChecklistForm, path: str, index: int) -> None:
    """Pick an option with the keyboard: focus, move right `index` times, Enter."""
    control = field(form, path).control
    assert isinstance(control, ChoiceField)
    control.focus()
    control.cursor = 0
    await pilot.press(*["right"] * index, "enter")
    await pilot.pause()


async def test_answering_shows_follow_up_and_posts_changed() -> None:
    form = ChecklistForm(LISTS["first_response"])
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        assert form.field("arrested") is None  # hidden items are not even built
        await choose(pilot, form, "grounds_for_arrest", 0)
        assert form.answers["grounds_for_arrest"] == "yes"
        assert field(form, "arrested").display
        assert app.changes and app.changes[-1].answers["grounds_for_arrest"] == "yes"
        assert app.changes[-1].evaluation is form.evaluation


async def test_chosen_answers_differ_in_text_not_only_colour() -> None:
    form = ChecklistForm(LISTS["first_response"], {"scene_safe": "no"})
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        shown = text(form, "scene_safe")
        assert "( ) Yes" in shown and "(•) No" in shown and "( ) Not known" in shown
        control = field(form, "scene_safe").control
        assert isinstance(control, ChoiceField)
        control.focus()
        await pilot.pause()
        assert f"{CURSOR}(•) No" in text(form, "scene_safe")  # the cursor, without colour
        multi = next(i for i in LISTS["safety_advice"].items if i.type == "multi")
    form = ChecklistForm(LISTS["safety_advice"], {multi.id: [multi.options[1][0]]})
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        shown = text(form, multi.id)
        assert f"[ ] {multi.options[0][1]}" in shown and f"[x] {multi.options[1][1]}" in shown
        assert "* required" in str(form.query_one("#cl-legend", Static).render())


async def test_missing_markers_and_reason_box() -> None:
    form = ChecklistForm(LISTS["first_response"], {"grounds_for_arrest": "yes"})
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        assert label(form, "arrested").startswith("! ")
        assert field(form, "arrested").reason_box is None  # built only when needed
        await choose(pilot, form, "arrested", 1)  # "No"
        assert form.answers["arrested"] == "no"
        assert label(form, "arrested").startswith("! ")  # reason still missing
        reason = field(form, "arrested").query_one(".cl-reason", Input)
        assert reason.display and reason.has_class("-missing")
        assert "(required)" in reason.placeholder
        assert [d.kind for d in form.evaluation.decisions] == ["no_arrest"]
        reason.focus()
        await pilot.press(*"Fled before arrival")
        await pilot.pause()
        assert form.answers["arrested.reason"] == "Fled before arrival"
        assert not reason.has_class("-missing")
        assert label(form, "arrested").startswith("* ")
        assert form.evaluation.decisions[0].reason == "Fled before arrival"


async def test_an_answer_is_evaluated_once_and_mounts_only_what_appears(
    monkeypatch: Any,
) -> None:
    calls: list[int] = []
    real = checklist_form.evaluate

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(checklist_form, "evaluate", counting)
    form = ChecklistForm(LISTS["first_response"])
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        before = set(form.query("*"))
        calls.clear()
        await choose(pilot, form, "scene_safe", 0)  # shows nothing new
        assert len(calls) == 1
        assert set(form.query("*")) == before
        calls.clear()
        shown_before = set(form.evaluation.visible)
        await choose(pilot, form, "grounds_for_arrest", 0)  # shows "arrested" and more
        assert len(calls) == 1
        appeared = [field(form, p) for p in form.evaluation.visible - shown_before]
        assert "arrested" in [f.path for f in appeared]
        new_widgets = {w for f in appeared for w in (f, *f.walk_children())}
        assert set(form.query("*")) - before == new_widgets


async def test_group_add_fill_and_remove_entries() -> None:
    form = ChecklistForm(LISTS["first_response"], {"children_present": "yes"})
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        add = form.query_one("#add-children", Button)
        add.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert form.answers["children"] == [{}]
        name = form.query_one("#c-children-0-name", Input)
        assert app.focused is name  # the new entry's first box takes the focus
        await pilot.press(*"Child A")
        await pilot.press("enter")
        await pilot.pause()
        assert form.answers["children"] == [{"name": "Child A"}]
        await choose(pilot, form, "children[0].seen", 1)
        assert form.answers["children"][0]["seen"] == "no"
        assert "children[0].seen" in [i.item for i in form.evaluation.missing_reasons]
        add.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(form.answers["children"]) == 2
        assert form.query_one("#c-children-1-name", Input).value == ""
        remove = form.query_one("#rm-children-0", Button)
        remove.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert form.answers["children"] == [{}]
        assert form.query_one("#c-children-0-name", Input).value == ""
        assert not form.query("#c-children-1-name")
        assert isinstance(form.field("children"), GroupField)


async def test_number_typed_wrong_shows_error_then_clears() -> None:
    answers = {"children_present": "yes", "children": [{"name": "Child A"}]}
    form = ChecklistForm(LISTS["first_response"], answers)
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        age = form.query_one("#c-children-0-age", Input)
        age.focus()
        await pilot.press("2", "5")
        await pilot.pause()
        assert "at most 17" in text(form, "children[0].age")
        assert label(form, "children[0].age").startswith("! ")
        await pilot.press("backspace")
        await pilot.pause()
        assert form.answers["children"][0]["age"] == 2
        assert "at most 17" not in text(form, "children[0].age")


async def test_single_choice_and_summary() -> None:
    form = ChecklistForm(LISTS["thrive"], facts={"repeat_victim": True})
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        summary = str(form.query_one("#cl-summary", Static).render())
        assert "answers needed" in summary and "Lowest grade allowed: priority" in summary
        await choose(pilot, form, "grade", 2)  # Scheduled appointment
        assert form.answers["grade"] == "scheduled"
        assert "(•) Scheduled appointment" in text(form, "grade")
        assert "grade_below_floor" in form.evaluation.flags
        assert field(form, "floor_override_reason").display


async def test_next_missing_moves_focus() -> None:
    form = ChecklistForm(LISTS["safety_advice"])
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        assert app.focused is not None and app.focused.id == "c-situation"  # the first question
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused.id == "c-stay_on_line"
        await pilot.press("up")  # arrows move between questions too
        assert app.focused.id == "c-situation"


async def test_read_only_shows_answers_and_reasons_without_controls() -> None:
    answers = {
        "grounds_for_arrest": "yes",
        "arrested": "no",
        "arrested.reason": "Fled before arrival",
        "children_present": "yes",
        "children": [{"name": "Child A", "seen": "no"}],
    }
    form = ChecklistForm(LISTS["first_response"], answers, read_only=True)
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        assert not form.query(Input) and not form.query(ChoiceField) and not form.query(Button)
        shown = text(form, "arrested")
        assert "\n  No\n" in shown and "\n  Reason: Fled before arrival" in shown
        assert "Child A" in text(form, "children[0].name")
        assert label(form, "children[0].seen").startswith("! ")  # reason was never given
        await pilot.press("tab", "down", "pagedown")
        await pilot.pause()
        assert app.changes == []
        assert form.answers == answers


async def test_a_read_only_answer_wraps_under_its_question_not_under_the_mark() -> None:
    where = "Gone to her sister's two streets away; phoned her there and she is safe. " * 4
    answers = {"victim_present": "no", "victim_whereabouts": where.strip()}
    form = ChecklistForm(LISTS["first_response"], answers, read_only=True)
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        lines = text(form, "victim_whereabouts").splitlines()
        assert len(lines) > 3  # the answer wraps
        assert all(line.startswith("  ") and line.strip() for line in lines[1:])


async def test_a_questions_wrapped_help_stays_indented_under_it() -> None:
    form = ChecklistForm(LISTS["first_response"])
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        lines = text(form, "officer_account").splitlines()  # a long label and help: both wrap
        assert len(lines) > 2
        assert all(line.startswith("  ") and line.strip() for line in lines[1:])


JUNK: list[Any] = [None, 7, "zz", ["zz", 3], {"a": 1}, True, [{"x": 1}, "entry"]]


async def test_any_stored_answers_render_without_crashing() -> None:
    for n, (name, checklist) in enumerate(sorted(LISTS.items())):
        answers = {item.id: JUNK[(n + i) % len(JUNK)] for i, item in enumerate(checklist.items)}
        for read_only in (False, True):
            form = ChecklistForm(checklist, answers, {"incidents_12m": "many"}, read_only)
            async with Harness(form).run_test(size=(80, 24)) as pilot:
                await opened(pilot, form)
                assert form.evaluation.checklist_id == name
                assert form.answers == answers


async def test_new_facts_re_evaluate_and_show_in_the_summary() -> None:
    form = ChecklistForm(LISTS["risk"], {"officer_level": "standard"})
    app = Harness(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        assert form.evaluation.risk_level == "standard"
        form.set_facts({"incidents_12m": 3})
        await pilot.pause()
        # earlier incidents never set the level: they are a MARAC escalation criterion
        assert form.evaluation.computed["computed_risk_level"] == "standard"
        assert "marac_escalation" in form.evaluation.flags
        summary = str(form.query_one("#cl-summary", Static).render())
        assert "MARAC referral" in summary
        assert app.changes[-1].evaluation is form.evaluation


async def test_the_form_opens_on_a_page_and_mounts_the_rest_in_order() -> None:
    checklist = LISTS["first_response"]
    form = ChecklistForm(checklist)
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await pilot.press(*"2026")  # typed while the rest may still be mounting
        await form.build_all()
        await pilot.pause()
        assert form.built
        shown = [item.id for item in checklist.items if item.id in form.evaluation.visible]
        assert [f.path for f in form.fields()] == shown  # every visible question, in order
        assert form.answers["arrived_at"] == "2026"  # the first question kept its answer


async def test_a_date_or_time_box_says_and_takes_now_in_its_own_format() -> None:
    form = ChecklistForm(LISTS["first_response"])
    async with Harness(form).run_test(size=(80, 24)) as pilot:
        await opened(pilot, form)
        box = field(form, "arrived_at").control  # a datetime
        assert isinstance(box, Input)
        assert box.placeholder == "YYYY-MM-DD HH:MM  (ctrl+t: now)"
        box.focus()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", box.value)
        assert form.answers["arrived_at"] == box.value
