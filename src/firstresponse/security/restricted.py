"""Restricted cases: a suspect who is police workforce (also refuge addresses, immigration status).

Only roles granted `Action.VIEW_RESTRICTED` see a restricted incident's suspect detail.
Everyone else still sees what protects the victim and the children (risk, grade, children,
orders, MARAC, bail), never a blank. Every access, full or redacted, is audited and
notified to professional standards ("PSD").

`guard_history` takes and gives the one `PersonHistory` (`firstresponse.lookup.models`, the
wire's model too): a guarded history is a changed copy (`model_copy`), never the original.
"""

from __future__ import annotations

from sqlmodel import Session

from firstresponse.lookup.models import PersonHistory
from firstresponse.records import Incident, Notification, User
from firstresponse.security import audit
from firstresponse.security.permissions import Action, allowed
from firstresponse.store.outbox import enqueue_record
from firstresponse.wording import plural

PSD = "PSD"
INSPECTOR = "inspector"
WITHHELD = "[restricted]"
REDACTED_SUMMARY = (
    "Restricted record: suspect details withheld. Risk, children and orders are shown; "
    "ask a supervisor for the rest."
)


class RestrictedError(ValueError):
    """A restriction cannot be recorded; the message says why."""


def can_view_restricted(user: User | None) -> bool:
    """True when the user's role may see a restricted incident's suspect detail."""
    return allowed(user, Action.VIEW_RESTRICTED)


def _scrub(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, WITHHELD)
    return text


def _notify(
    db: Session, kind: str, recipient: str, subject_kind: str, subject_id: str, body: str
) -> Notification:
    """A notification kept where it is raised. The hub raises its own copy for PSD and the
    inspector from the restricted incident or the access's audit event (hub.notices): it
    takes none from terminals."""
    note = Notification(
        kind=kind, recipient=recipient, subject_kind=subject_kind, subject_id=subject_id, body=body
    )
    db.add(note)
    return note


def _who(user: User | None) -> str:
    if user is None:
        return "unknown user"
    return f"{user.collar} ({user.role.replace('_', ' ')})"


def guard_history(
    db: Session, user: User | None, history: PersonHistory, *, outbox: bool = True
) -> PersonHistory:
    """The history as this user may see it; audits and notifies PSD when it holds restricted cases.

    For roles without `VIEW_RESTRICTED`, each restricted incident keeps its reference, date,
    role, relationship, risk level, grade and children; the other party and the summary are
    withheld, and the other party's name is replaced by "[restricted]" in previous partners,
    narrative, bail conditions and DVDS lines unless an unrestricted incident already shows
    it. Orders are left whole: an officer must be able to enforce them.

    With `outbox=True` (on a terminal) each access's audit event is queued for the hub,
    which notifies PSD from it.
    """
    incidents = history.incidents
    restricted = [i for i in incidents if i.restricted]
    if not restricted:
        return history
    person_id = history.person_id
    full = can_view_restricted(user)
    actor = user.collar if user is not None else "?"
    action = "restricted.view" if full else "restricted.redacted"
    for incident in restricted:
        event = audit.record(
            db,
            actor,
            action,
            "incident",
            incident.incident_id,
            person_id=person_id,
            reference=incident.reference,
        )
        if outbox:
            enqueue_record(db, event)
    noun = "incident" if len(restricted) == 1 else "incidents"
    refs = ", ".join(i.reference for i in restricted)
    shown = "full detail shown" if full else "suspect detail withheld"
    _notify(
        db,
        "restricted_access",
        PSD,
        "person",
        person_id,
        f"{_who(user)} opened a history holding restricted {noun} {refs}: {shown}.",
    )
    counted = plural(len(restricted), "restricted incident")
    note = f"{counted}: this view is audited and PSD notified."
    if full:
        return history.model_copy(update={"narrative": [note, *history.narrative]})

    visible = {i.other_party for i in incidents if not i.restricted and i.other_party}
    hidden = {i.other_party for i in restricted if i.other_party} - visible
    redacted = {"other_party": WITHHELD, "summary": REDACTED_SUMMARY}
    return history.model_copy(
        update={
            "incidents": [i.model_copy(update=redacted) if i.restricted else i for i in incidents],
            "narrative": [note + " Suspect detail withheld."]
            + [_scrub(line, hidden) for line in history.narrative],
            "previous_partners": [_scrub(line, hidden) for line in history.previous_partners],
            "bail_conditions": [_scrub(line, hidden) for line in history.bail_conditions],
            "dvds": [_scrub(line, hidden) for line in history.dvds],
        }
    )


def flag_restricted(
    db: Session, user: User | None, incident: Incident, reason: str, *, queue: bool = True
) -> None:
    """Mark `incident` restricted: audited, PSD and the inspector notified, queued for the hub
    (unless not `queue`: the caller queues the incident with its other changes, as one version)."""
    if user is None or not user.active or user.locked:
        raise PermissionError("sign in to restrict a record")
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise RestrictedError("give the reason the record is restricted (at least 5 characters)")
    already = incident.restricted
    incident.restricted = True
    if not already and queue:
        enqueue_record(db, incident, floor=2)  # if the hub's version is not known: 1 there
    else:
        db.add(incident)
    audit.record(
        db,
        user.collar,
        "restricted.flag",
        "incident",
        incident.id,
        reference=incident.reference,
        reason=reason,
    )
    body = f"{_who(user)} restricted incident {incident.reference}: {reason}"
    for recipient in (PSD, INSPECTOR):
        _notify(db, "restricted_flag", recipient, "incident", incident.id, body)
