"""What an officer has typed into a form and not yet saved, kept in this terminal's store.

A checklist is a draft `Assessment` from its first answer (`attendance.drafts`). The other
forms (a new call before it is opened, a DVDS application, a contact, a case outcome, a
high-risk review) save nothing until the officer does; until then what they typed is kept
here, one draft per officer and form, so Escape, ctrl+q, the idle lock or a crash loses
none of it and the form opens again with it. Local to the terminal: never synced.
"""

from __future__ import annotations

from sqlmodel import select

from firstresponse.records.base import utcnow
from firstresponse.records.terminal import FormDraft
from firstresponse.store.engine import Store


def keep(store: Store, author: str, form: str, fields: dict[str, str]) -> None:
    """Keep what is typed now (a form with nothing typed keeps no draft)."""
    with store.session() as db:
        found = db.get(FormDraft, (author, form))
        if not any(fields.values()):
            if found is not None:
                db.delete(found)
            return
        if found is None:
            found = FormDraft(author=author, form=form)
        found.fields, found.updated_at = dict(fields), utcnow()
        db.add(found)


def kept(store: Store, author: str, form: str) -> dict[str, str]:
    """What was typed into the form and not saved ({} when nothing)."""
    with store.session() as db:
        found = db.get(FormDraft, (author, form))
        return {str(k): str(v) for k, v in (found.fields if found else {}).items()}


def drop(store: Store, author: str, form: str) -> None:
    """The form was saved (or its typing discarded): no draft left."""
    keep(store, author, form, {})


def forget_all(store: Store) -> None:
    """No unsaved typing kept for anyone (each screenshot walk starts from empty forms)."""
    with store.session() as db:
        for found in db.exec(select(FormDraft)).all():
            db.delete(found)
