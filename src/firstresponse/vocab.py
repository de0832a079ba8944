"""Domain vocabulary shared by every layer: markers, risk levels, grades, orders, roles."""

from __future__ import annotations

from enum import StrEnum


class Marker(StrEnum):
    """Warning and vulnerability markers held against a person."""

    REPEAT_VICTIM = "repeat_victim"
    VULNERABLE_ADULT = "vulnerable_adult"
    CHILD = "child"
    ELDERLY = "elderly"
    MENTAL_HEALTH = "mental_health"
    LEARNING_DISABILITY = "learning_disability"
    DISABILITY = "disability"
    LANGUAGE_NEED = "language_need"
    PREGNANCY = "pregnancy"
    FIREARMS = "firearms"
    WEAPONS = "weapons"
    VIOLENCE = "violence"
    POLICE_WORKFORCE_SUSPECT = "police_workforce_suspect"


#: Markers that warn an officer about the person (shown on the suspect's side of a briefing).
WARNING_MARKERS = (
    Marker.FIREARMS,
    Marker.WEAPONS,
    Marker.VIOLENCE,
    Marker.POLICE_WORKFORCE_SUSPECT,
)
#: Needs found at a call or on scene that are saved back as markers for the next call.
NEED_MARKERS = (
    Marker.LANGUAGE_NEED,
    Marker.DISABILITY,
    Marker.LEARNING_DISABILITY,
    Marker.PREGNANCY,
    Marker.MENTAL_HEALTH,
    Marker.VULNERABLE_ADULT,
    Marker.ELDERLY,
)


class RiskLevel(StrEnum):
    """DASH-structured risk levels, lowest first."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


class Grade(StrEnum):
    """Call grades, most urgent first."""

    IMMEDIATE = "immediate"
    PRIORITY = "priority"
    SCHEDULED = "scheduled"
    RESOLVED_WITHOUT_DEPLOYMENT = "resolved_without_deployment"

    @property
    def urgency(self) -> int:
        """Higher is more urgent: immediate 3 ... resolved without deployment 0."""
        return len(Grade) - 1 - list(Grade).index(self)

    @property
    def deploys(self) -> bool:
        return self is not Grade.RESOLVED_WITHOUT_DEPLOYMENT


class OrderKind(StrEnum):
    """Protective measures and safeguarding history that a responder must know about.

    DAPN/DAPO: the Domestic Abuse Act 2021 notice and order, where in force."""

    BAIL_CONDITIONS = "bail_conditions"
    DVPN = "dvpn"
    DVPO = "dvpo"
    DAPN = "dapn"
    DAPO = "dapo"
    RESTRAINING_ORDER = "restraining_order"
    NON_MOLESTATION_ORDER = "non_molestation_order"
    STALKING_PROTECTION_ORDER = "stalking_protection_order"  # Stalking Protection Act 2019
    MARAC = "marac"
    DVDS_RIGHT_TO_ASK = "dvds_right_to_ask"
    DVDS_RIGHT_TO_KNOW = "dvds_right_to_know"
    WARRANT = "warrant"


class Relationship(StrEnum):
    """How a suspect is related to a victim (Domestic Abuse Act 2021 s.2 "personally
    connected"; `not_connected` is not domestic abuse)."""

    PARTNER = "partner"
    EX_PARTNER = "ex_partner"
    SPOUSE = "spouse"
    AGREED_TO_MARRY = "agreed_to_marry"
    SHARED_PARENT = "shared_parent"
    FAMILY_MEMBER = "family_member"
    CHILD_TO_PARENT = "child_to_parent"
    NOT_CONNECTED = "not_connected"
    OTHER = "other"


class Role(StrEnum):
    """What a user is allowed to do."""

    CALL_HANDLER = "call_handler"
    RESPONDER = "responder"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class RecordStatus(StrEnum):
    """Lifecycle of an answer set: drafts change freely; submitted ones never change."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


#: Self-defined ethnicity: the police "18+1" codes (the 2011 census categories of England
#: and Wales, and "not stated" for a person who was asked and did not say). A person with
#: no code held has not been asked, or the record came without one: "not recorded".
ETHNICITIES: dict[str, str] = {
    "A1": "Asian or Asian British: Indian",
    "A2": "Asian or Asian British: Pakistani",
    "A3": "Asian or Asian British: Bangladeshi",
    "A4": "Asian or Asian British: Chinese",
    "A9": "Asian or Asian British: any other Asian background",
    "B1": "Black or Black British: Caribbean",
    "B2": "Black or Black British: African",
    "B9": "Black or Black British: any other Black background",
    "M1": "Mixed: White and Black Caribbean",
    "M2": "Mixed: White and Black African",
    "M3": "Mixed: White and Asian",
    "M9": "Mixed: any other Mixed background",
    "O1": "Other ethnic group: Arab",
    "O9": "Other ethnic group: any other ethnic group",
    "W1": "White: English, Welsh, Scottish, Northern Irish or British",
    "W2": "White: Irish",
    "W3": "White: Gypsy or Irish Traveller",
    "W9": "White: any other White background",
    "NS": "Not stated",
}
NOT_STATED = "NS"
#: The same categories in a few words, for tables and figures.
ETHNICITIES_SHORT: dict[str, str] = {
    "A1": "Indian", "A2": "Pakistani", "A3": "Bangladeshi", "A4": "Chinese",
    "A9": "other Asian", "B1": "Caribbean", "B2": "African", "B9": "other Black",
    "M1": "White and Black Caribbean", "M2": "White and Black African",
    "M3": "White and Asian", "M9": "other Mixed", "O1": "Arab", "O9": "any other group",
    "W1": "White British", "W2": "White Irish", "W3": "Gypsy or Irish Traveller",
    "W9": "other White", "NS": "not stated",
}  # fmt: skip


def ethnicity_code(text: str) -> str:
    """The 18+1 code for `text` (a code or its name, any case; blank: none), else ValueError."""
    given = " ".join(text.split())
    if not given:
        return ""
    wanted = given.casefold()
    for code, label in ETHNICITIES.items():
        if wanted in {code.casefold(), label.casefold()}:
            return code
    raise ValueError(f"ethnicity {given!r} is not an 18+1 code ({', '.join(ETHNICITIES)})")
