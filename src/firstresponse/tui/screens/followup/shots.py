"""Screenshot walks for the follow-through screens: victim contacts, case outcomes, DVDS,
same-shift high-risk review and the leaders' figures (demo store)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from firstresponse.tui.screenshots import press_to, settle, shot, sign_in_home
from firstresponse.tui.widgets.picker import Picker


async def _from_home(pilot: Pilot[None], collar: str, key: str, screen: str) -> None:
    """Sign in to the home screen and press `key` there, to reach `screen`."""
    await sign_in_home(pilot, collar)
    await press_to(pilot, key, screen)


@shot(
    "victim_contacts",
    "Victim contacts due under the Victims' Code, overdue first",
    "ContactsScreen",
)
async def _contacts(pilot: Pilot[None]) -> None:
    await _from_home(pilot, "PC2002", "v", "ContactsScreen")


@shot(
    "victim_contact_form",
    "Recording a contact with the victim: how, and what happened",
    "ContactForm",
)
async def _contact_form(pilot: Pilot[None]) -> None:
    await _contacts(pilot)
    await press_to(pilot, "enter", "ContactForm")


@shot("case_outcome_form", "A case outcome: a reason unless charged or bailed", "OutcomeForm")
async def _outcome(pilot: Pilot[None]) -> None:
    await _contacts(pilot)
    await press_to(pilot, "o", "OutcomeForm")


@shot(
    "dvds_list",
    "Clare's Law: applications (a: closed ones too), Right to Know prompts",
    "DvdsListScreen",
)
async def _dvds_all(pilot: Pilot[None]) -> None:
    await _dvds(pilot)
    await pilot.press("a")
    await settle(pilot)


async def _dvds(pilot: Pilot[None]) -> None:
    await _from_home(pilot, "SG3001", "c", "DvdsListScreen")


@shot(
    "dvds_new_application",
    "Clare's Law: logging a Right to Ask or Right to Know",
    "DvdsApplicationForm",
)
async def _dvds_new(pilot: Pilot[None]) -> None:
    await _dvds(pilot)
    await press_to(pilot, "n", "DvdsApplicationForm")


@shot("dvds_step", "Clare's Law: every deadline, and the next step recorded", "DvdsStepForm")
async def _dvds_step(pilot: Pilot[None]) -> None:
    """Log a Right to Ask as a call handler would, then open its first step."""
    await _dvds_new(pilot)
    form = pilot.app.screen
    form.query_one("#da-route", Picker).value = "right_to_ask"
    form.query_one("#da-is-victim", Picker).value = "yes"
    for widget_id, text in (
        ("#da-victim", "Sam Pryce"),
        ("#da-subject", "Darren Kettley"),
        ("#da-concerns", "Checks her phone; jealous of her friends"),
        ("#da-safe", "Work phone only, after 6pm"),
    ):
        form.query_one(widget_id, Input).value = text
    await press_to(pilot, "ctrl+s", "DvdsListScreen")
    await press_to(pilot, "enter", "DvdsStepForm")


@shot(
    "supervisor_high_risk",
    "Supervisor: high-risk submissions to review this shift",
    "HighRiskQueueScreen",
)
async def _high_risk(pilot: Pilot[None]) -> None:
    await _from_home(pilot, "SG3001", "h", "HighRiskQueueScreen")


@shot(
    "supervisor_high_risk_review",
    "Supervisor: confirm or regrade, with a reason",
    "HighRiskReviewScreen",
)
async def _high_risk_review(pilot: Pilot[None]) -> None:
    await _high_risk(pilot)
    await press_to(pilot, "enter", "HighRiskReviewScreen")


@shot("leaders_figures", "Leaders' figures: overall, by week, team or officer", "FiguresScreen")
async def _figures(pilot: Pilot[None]) -> None:
    await _from_home(pilot, "SG3001", "l", "FiguresScreen")


@shot(
    "order_outcomes",
    "Hearings and bail awaiting an outcome (w), soonest first",
    "OrderOutcomesScreen",
)
async def _order_outcomes(pilot: Pilot[None]) -> None:
    await _from_home(pilot, "PC2002", "w", "OrderOutcomesScreen")


@shot(
    "order_outcome_form",
    "What the court decided: DVPO granted to its end, refused or adjourned",
    "OrderOutcomeForm",
)
async def _order_outcome_form(pilot: Pilot[None]) -> None:
    await _order_outcomes(pilot)
    await press_to(pilot, "enter", "OrderOutcomeForm")


@shot(
    "supervisor_week_ahead",
    "Supervisor: the week ahead (w): hearings due, orders ending, orders to review",
    "WeekAheadScreen",
)
async def _week_ahead(pilot: Pilot[None]) -> None:
    await _from_home(pilot, "SG3001", "w", "WeekAheadScreen")
