"""Repeat-victim lookup: find a person however they are spelt or written, and their history.

Search keys live in the `lookup_key` table (see `keys`), filed by `index_person` /
`rebuild_index`, and automatically when a session commits (see `autoindex`). `search`
finds candidates by exact key hits and ranks them with reasons.
"""

from firstresponse.lookup import autoindex as _autoindex  # noqa: F401  (keeps the index current)
from firstresponse.lookup.history import person_history
from firstresponse.lookup.index import index_people, index_person, rebuild_index
from firstresponse.lookup.models import (
    HistoryIncident,
    LinkProposal,
    OrderLine,
    PersonHistory,
    SuspectProfile,
)
from firstresponse.lookup.normalise import DobError, PartialDob, parse_dob
from firstresponse.lookup.query import LookupQuery, Match
from firstresponse.lookup.search import search
from firstresponse.records.lookup import LookupKey, LookupTerm

__all__ = [
    "DobError",
    "HistoryIncident",
    "LinkProposal",
    "LookupKey",
    "LookupQuery",
    "LookupTerm",
    "Match",
    "OrderLine",
    "PartialDob",
    "PersonHistory",
    "SuspectProfile",
    "index_people",
    "index_person",
    "parse_dob",
    "person_history",
    "rebuild_index",
    "search",
]
