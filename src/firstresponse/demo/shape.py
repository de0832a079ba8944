"""The shape of a synthetic force history: volumes and rates, in one place.

West Mercia records about 26,105 domestic abuse incidents a year and 23.9% of
victims are repeat victims. A history of N people spans `YEARS` years; with the
household mix below, a store of about `FORCE_PEOPLE` people carries a
West Mercia-sized volume, and smaller or larger N scale the volume in proportion.
"""

from __future__ import annotations

YEARS = 5
INCIDENTS_PER_YEAR = 26_105
FORCE_PEOPLE = 260_000

REPEAT_VICTIM = 0.24
FEMALE_VICTIM = 0.78
SERIAL_SUSPECT = 0.12  # a new relationship's suspect already has another victim
COUNTER_ALLEGATION = 0.05  # the suspect of one incident is the victim of another
CHILDREN_IN_HOUSEHOLD = 0.45
CHILD_PRESENT = 0.75
PHONE_KNOWN = 0.8
SHARED_ADDRESS = 0.6

#: (relationship count, weight) for a repeat victim: previous partners over time.
RELATIONSHIPS = ((1, 70), (2, 22), (3, 8))
#: (children in a household, weight).
CHILD_COUNTS = ((1, 45), (2, 35), (3, 15), (4, 5))
RISK_LEVELS = (("standard", 55), ("medium", 33), ("high", 12))
GRADES = {
    "standard": (
        ("immediate", 20),
        ("priority", 50),
        ("scheduled", 22),
        ("resolved_without_deployment", 8),
    ),
    "medium": (("immediate", 45), ("priority", 45), ("scheduled", 10)),
    "high": (("immediate", 85), ("priority", 15)),
}

#: Marker rates among adult victims and suspects.
VICTIM_MARKERS = (
    ("vulnerable_adult", 0.10),
    ("mental_health", 0.14),
    ("learning_disability", 0.03),
    ("disability", 0.07),
    ("language_need", 0.06),
)
SUSPECT_MARKERS = (
    ("mental_health", 0.10),
    ("firearms", 0.015),
    ("police_workforce_suspect", 0.004),
)
ELDERLY_AGE = 70

#: Self-defined ethnicity (18+1 codes) per thousand people: roughly the 2021 census of
#: England and Wales, with "not stated" (NS) and none recorded ("") as police records have.
ETHNICITIES = (
    ("W1", 620), ("W2", 8), ("W3", 2), ("W9", 52), ("M1", 8), ("M2", 3), ("M3", 7),
    ("M9", 7), ("A1", 26), ("A2", 22), ("A3", 9), ("A4", 6), ("A9", 13), ("B1", 9),
    ("B2", 21), ("B9", 4), ("O1", 5), ("O9", 13), ("NS", 64), ("", 100),
)  # fmt: skip

#: Protective orders by the highest risk level in a relationship: (kind, chance).
ORDERS = {
    "high": (
        ("marac", 0.9),
        ("bail_conditions", 0.5),
        ("dvpn", 0.25),
        ("dvpo", 0.22),
        ("restraining_order", 0.2),
        ("dvds_right_to_know", 0.1),
    ),
    "medium": (
        ("bail_conditions", 0.25),
        ("non_molestation_order", 0.08),
        ("dvds_right_to_ask", 0.06),
    ),
    "standard": (("bail_conditions", 0.05), ("dvds_right_to_ask", 0.02)),
}


def incidents_per_year(people: int) -> float:
    """The annual incident volume a history of `people` people stands for."""
    return INCIDENTS_PER_YEAR * people / FORCE_PEOPLE
