"""lookup: file the name-and-year (`nny:`) keys of people filed before those keys existed

A person's `nny:` keys are their name-pair keys (`nn:`) each with the year of their date
of birth (from their `d:` key), so they are worked out here in SQL, for both roles; people
who already have any (filed since) or have no date of birth are left as they are.

Revision ID: 0011_name_year_keys
Revises: 0010_signouts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_name_year_keys"
down_revision = "0010_signouts"
branch_labels = None
depends_on = None

# Key ranges as comparisons (`nn:` up to `nn;`), so the key index serves them.
NAME_YEAR_KEYS = """
INSERT INTO lookup_key (key, person_id)
SELECT 'nny:' || substr(n.key, 4) || '|' || CAST(CAST(substr(d.key, 3, 4) AS INTEGER) AS TEXT),
       n.person_id
FROM lookup_key n
JOIN lookup_key d ON d.person_id = n.person_id AND d.key >= 'd:' AND d.key < 'd;'
WHERE n.key >= 'nn:' AND n.key < 'nn;'
  AND NOT EXISTS (
    SELECT 1 FROM lookup_key y
    WHERE y.person_id = n.person_id AND y.key >= 'nny:' AND y.key < 'nny;'
  )
"""


def upgrade() -> None:
    op.execute(sa.text(NAME_YEAR_KEYS))


def downgrade() -> None:
    pass  # the keys are harmless to an older release, which files them too once refiled
