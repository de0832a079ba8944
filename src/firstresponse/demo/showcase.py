"""Hand-written showcase people for demonstrations, with the name variants a lookup must see
through. All invented; dates are relative to the demo's `today`, so orders stay in force and
recent incidents stay recent. docs/demo.md lists what to search for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from firstresponse.records import (
    Child,
    Incident,
    Person,
    PersonAlias,
    PersonLink,
    PersonMarker,
    ProtectiveOrder,
    Warrant,
)
from firstresponse.records.links import CONFIRMED

SOURCE = "demo"


@dataclass
class Showcase:
    """Builds the showcase rows in one session, dated back from `today`."""

    db: Session
    today: date
    force_code: str = "WM"
    made: int = 0

    def day(self, days_ago: int, hour: int = 21) -> datetime:
        when = self.today - timedelta(days=days_ago)
        return datetime(when.year, when.month, when.day, hour, 15, tzinfo=UTC)

    def person(
        self,
        forename: str,
        surname: str,
        dob: date,
        gender: str,
        phone: str = "",
        postcode: str = "",
        address: str = "",
    ) -> Person:
        person = Person(
            forename=forename,
            surname=surname,
            dob=dob,
            gender=gender,
            phone=phone,
            postcode=postcode,
            address=address,
        )
        self.db.add(person)
        self.db.flush()
        return person

    def years_ago(self, years: int, month: int, day: int) -> date:
        return date(self.today.year - years, month, day)

    def alias(self, person: Person, forename: str, surname: str, kind: str) -> None:
        self.db.add(PersonAlias(person_id=person.id, forename=forename, surname=surname, kind=kind))

    def marker(self, person: Person, marker: str, note: str) -> None:
        self.db.add(
            PersonMarker(
                person_id=person.id, marker=marker, note=note, source="record", recorded_by="demo"
            )
        )

    def warrant(self, person: Person, kind: str, offence: str, days_ago: int, by: str) -> None:
        issued = self.today - timedelta(days=days_ago)
        self.db.add(
            Warrant(person_id=person.id, kind=kind, offence=offence, issued_on=issued, issued_by=by)
        )

    def link(self, a: Person, b: Person, reasons: list[str], by: str, note: str) -> None:
        first, second = sorted((a.id, b.id))
        self.db.add(
            PersonLink(
                person_id=first,
                other_id=second,
                status=CONFIRMED,
                reasons="; ".join(reasons),
                note=note,
                decided_by=by,
                decided_at=self.day(2, 10),
            )
        )

    def incident(
        self,
        victim: Person,
        suspect: Person | None,
        days_ago: int,
        relationship: str,
        risk: str,
        grade: str,
        summary: str,
        *,
        restricted: bool = False,
        arrest: bool | None = None,
    ) -> Incident:
        self.made += 1
        at = self.day(days_ago)
        incident = Incident(
            reference=f"{self.force_code}{at.year % 100:02d}/D{self.made:06d}",
            occurred_at=at,
            victim_id=victim.id,
            suspect_id=suspect.id if suspect else None,
            relationship=relationship,
            address=victim.address,
            postcode=victim.postcode,
            summary=summary,
            risk_level=risk,
            grade=grade,
            crime_recorded=risk != "standard",
            arrest_made=arrest,
            restricted=restricted,
            status="historic",
            source=SOURCE,
            created_by="demo",
        )
        self.db.add(incident)
        self.db.flush()
        return incident

    def child(self, incident: Incident, child: Person, where: str, seen: bool = True) -> None:
        assert child.dob is not None
        age = (incident.occurred_at.date() - child.dob).days // 365
        self.db.add(
            Child(
                incident_id=incident.id,
                person_id=child.id,
                name=child.full_name,
                age=age,
                dob=child.dob,
                school="Oakfield Primary" if age >= 4 else "",
                where_during=where,
                seen=seen,
                spoken_to=seen and age >= 4,
                reason="" if seen else "Asleep upstairs; not woken",
            )
        )

    def order(
        self,
        kind: str,
        subject: Person,
        protected: Person,
        incident: Incident,
        detail: str,
        starts_ago: int,
        lasts: int | None,
    ) -> None:
        starts = self.today - timedelta(days=starts_ago)
        self.db.add(
            ProtectiveOrder(
                kind=kind,
                subject_id=subject.id,
                protected_id=protected.id,
                incident_id=incident.id,
                detail=detail,
                starts_on=starts,
                ends_on=None if lasts is None else starts + timedelta(days=lasts),
            )
        )


def add_showcase(db: Session, today: date, force_code: str = "WM") -> list[Person]:
    """Add the showcase people and their history; returns the people, victims first."""
    s = Showcase(db, today, force_code)
    place = {"postcode": "WR5 2DX", "address": "14 Kestrel Close, Worcester"}

    # 1. Elizabeth "Liz" Marsh, formerly Thornbury: repeat victim, two previous partners.
    liz = s.person("Elizabeth", "Marsh", s.years_ago(38, 3, 7), "F", phone="07700 900123", **place)
    s.alias(liz, "Liz", "", "nickname")
    s.alias(liz, "", "Thornbury", "previous_surname")
    s.marker(liz, "repeat_victim", "Four incidents, two partners")
    s.marker(liz, "mental_health", "Anxiety and depression; GP aware")
    # The same woman on an older record, DOB keyed day/month swapped, phone written differently.
    lizzie = s.person(
        "Lizzie",
        "Thornbury",
        s.years_ago(38, 7, 3),
        "F",
        phone="+44 7700 900123",
        postcode="WR5 2DX",
        address="Flat 2, 9 Teme Street, Worcester",
    )
    darren = s.person(
        "Darren",
        "Kettley",
        s.years_ago(41, 11, 23),
        "M",
        phone="07700900456",
        postcode="WR4 9PL",
        address="31 Brook Lane, Worcester",
    )
    s.alias(darren, "Daz", "", "nickname")
    s.marker(darren, "violence", "Assaults on two former partners")
    s.warrant(darren, "arrest", "Breach of restraining order", 6, "Worcester Magistrates' Court")
    craig = s.person(
        "Craig", "Holloway", s.years_ago(35, 5, 30), "M", phone="07700 900789", **place
    )
    s.marker(craig, "weapons", "Kept a knife in his car (2024 stop search)")
    mia = s.person("Mia", "Marsh", s.years_ago(7, 9, 12), "F", **place)
    alfie = s.person("Alfie", "Holloway", s.years_ago(3, 1, 18), "M", **place)
    for child in (mia, alfie):
        s.marker(child, "child", "Child in a household with domestic abuse")

    s.incident(
        lizzie,
        darren,
        1500,
        "partner",
        "medium",
        "priority",
        "Pushed into a door frame during an argument about money.",
        arrest=True,
    )
    ended = s.incident(
        liz,
        darren,
        1180,
        "ex_partner",
        "high",
        "immediate",
        "Ex-partner forced entry after separation and threatened to kill her.",
        arrest=True,
    )
    s.order(
        "restraining_order",
        darren,
        liz,
        ended,
        "Restraining order: no contact with Elizabeth Marsh; not to enter Kestrel Close.",
        1000,
        1000 + 730,
    )
    first = s.incident(
        liz,
        craig,
        300,
        "partner",
        "standard",
        "priority",
        "Argument over his drinking; she asked him to leave and he did.",
    )
    s.child(first, mia, "upstairs asleep", seen=False)
    s.link(
        liz,
        lizzie,
        ["name variant Liz=Lizzie", "previous surname Thornbury", "DOB day/month swapped",
         "same phone"],
        "AD4001",
        "Data owner: the same woman; the older record's DOB was keyed day/month swapped",
    )  # fmt: skip
    second = s.incident(
        liz,
        craig,
        120,
        "partner",
        "medium",
        "immediate",
        "Phone smashed to stop her calling for help; bruising to her wrist.",
        arrest=False,
    )
    s.child(second, mia, "in the same room")
    s.child(second, alfie, "in the same room")
    latest = s.incident(
        liz,
        craig,
        35,
        "partner",
        "high",
        "immediate",
        "Strangled during an argument; he says he will kill her if she leaves.",
        arrest=True,
    )
    s.child(latest, mia, "in the next room")
    s.child(latest, alfie, "in the next room")
    s.order(
        "bail_conditions",
        craig,
        liz,
        latest,
        "Not to contact Elizabeth Marsh; not to enter Kestrel Close, Worcester.",
        34,
        90,
    )
    s.order(
        "marac",
        craig,
        liz,
        latest,
        "Heard at MARAC; IDVA allocated; police marker on the address.",
        21,
        None,
    )

    # 2. Samantha "Sam" Pryce: Darren Kettley's current partner, told of his history.
    sam = s.person(
        "Samantha",
        "Pryce",
        s.years_ago(33, 2, 14),
        "F",
        phone="(07700) 900 321",
        postcode="WR4 9PL",
        address="31 Brook Lane, Worcester",
    )
    s.alias(sam, "Sam", "", "nickname")
    sam_incident = s.incident(
        sam,
        darren,
        60,
        "partner",
        "medium",
        "priority",
        "Controlling behaviour: he checks her phone and keeps her bank card.",
    )
    s.order(
        "dvds_right_to_ask",
        darren,
        sam,
        sam_incident,
        "Right to ask: disclosed his previous abuse of a former partner.",
        40,
        None,
    )

    # 3. Priya Sandhu: the suspect is police workforce, so the incident is restricted.
    priya = s.person(
        "Priya",
        "Sandhu",
        s.years_ago(29, 6, 2),
        "F",
        phone="07700 900654",
        postcode="SY1 3QT",
        address="7 Severn View, Shrewsbury",
    )
    mark = s.person(
        "Mark",
        "Fenwick",
        s.years_ago(34, 10, 9),
        "M",
        postcode="SY1 3QT",
        address="7 Severn View, Shrewsbury",
    )
    s.marker(mark, "police_workforce_suspect", "Serving officer: restricted, PSD notified")
    s.incident(
        priya,
        mark,
        90,
        "partner",
        "medium",
        "priority",
        "Tracks her phone location and threatens to use his job to discredit her.",
        restricted=True,
    )

    # 4. Agnieszka Nowicka, 74: abused by her adult son; needs an interpreter.
    agnieszka = s.person(
        "Agnieszka",
        "Nowicka",
        s.years_ago(74, 12, 1),
        "F",
        phone="01905 960 111",
        postcode="WR14 1AB",
        address="3 Orchard Rise, Malvern",
    )
    for marker, note in (
        ("elderly", "Aged 70 or over"),
        ("language_need", "Polish speaker: use a professional interpreter"),
        ("vulnerable_adult", "Care and support needs; uses a walking frame"),
    ):
        s.marker(agnieszka, marker, note)
    tomasz = s.person(
        "Tomasz",
        "Nowicki",
        s.years_ago(45, 4, 21),
        "M",
        postcode="WR14 1AB",
        address="3 Orchard Rise, Malvern",
    )
    s.incident(
        agnieszka,
        tomasz,
        200,
        "child_to_parent",
        "medium",
        "priority",
        "Son takes her pension and shouts at her when she refuses money.",
    )

    # 5. Bethan Pritchard: husband holds firearms; a DVPO is in force.
    bethan = s.person(
        "Bethan",
        "Pritchard",
        s.years_ago(44, 8, 19),
        "F",
        phone="07700 900987",
        postcode="HR4 0SD",
        address="Yew Tree Farm, Kington",
    )
    gareth = s.person(
        "Gareth",
        "Pritchard",
        s.years_ago(47, 3, 3),
        "M",
        postcode="HR4 0SD",
        address="Yew Tree Farm, Kington",
    )
    s.marker(gareth, "firearms", "Shotgun certificate; guns kept at the farm")
    dvpo_incident = s.incident(
        bethan,
        gareth,
        10,
        "spouse",
        "high",
        "immediate",
        "Threatened her with a shotgun after she said she wanted a divorce.",
        arrest=True,
    )
    s.order(
        "dvpo",
        gareth,
        bethan,
        dvpo_incident,
        "DVPO for 28 days: not to enter Yew Tree Farm or contact Bethan Pritchard.",
        8,
        28,
    )
    db.flush()
    return [liz, lizzie, sam, priya, agnieszka, bethan, darren, craig, mark, tomasz, gareth]
