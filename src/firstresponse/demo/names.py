"""Word lists for synthetic people and places, written for this project.

Forenames and surnames are common words combined at random, so no generated
person is a real one. Towns are real places in a West Mercia-like force area;
streets are made up from word parts.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FEMALE = _words(
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence "
    "Emily Ella Poppy Evie Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Harper Matilda "
    "Alice Ruby Millie Sarah Emma Laura Rebecca Hannah Jessica Amy Gemma Claire Nicola "
    "Michelle Kelly Donna Joanne Lisa Tracey Karen Julie Susan Helen Angela Dawn Wendy "
    "Elizabeth Margaret Katherine Catherine Patricia Samantha Christine Alexandra Victoria "
    "Jennifer Deborah Rachel Natalie Stacey Chloe Leanne Zoe Kirsty Aisha Fatima Zainab "
    "Priya Anjali Agnieszka Katarzyna Oksana Mariana Chiara Niamh Siobhan Bethan Cerys"
)
MALE = _words(
    "Oliver George Noah Arthur Harry Leo Muhammad Jack Charlie Oscar Jacob Henry Freddie "
    "Alfie Theo William Thomas Archie Joshua James Daniel David Michael Christopher Andrew "
    "Paul Mark Richard Robert Steven Stephen Anthony Jonathan Matthew Lee Craig Darren "
    "Wayne Dean Jason Gary Kevin Shaun Ryan Liam Jamie Kyle Connor Lewis Nathan Ben "
    "Benjamin Samuel Joseph Edward Nicholas Patrick Alexander Peter Gareth Rhys Dylan "
    "Callum Kieran Mohammed Imran Tariq Arjun Ravi Piotr Tomasz Andrei Mihai Luca Declan "
    "Ciaran Owen"
)
SURNAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel "
    "Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker "
    "Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
    "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson "
    "Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen "
    "Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins "
    "Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews "
    "Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole "
    "Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan "
    "Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter "
    "Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland "
    "Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner "
    "Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson "
    "Shepherd Ross Cross Long Freeman Warren Nowak Kowalski Wisniewski Popescu Rossi "
    "Doherty Quinn Byrne"
)
#: Familiar forms used as nickname aliases (canonical forename -> nicknames).
NICKNAMES = {
    "William": ("Bill", "Billy", "Will"),
    "Robert": ("Bob", "Rob", "Robbie"),
    "Richard": ("Rick", "Richie"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Thomas": ("Tom", "Tommy"),
    "Michael": ("Mike", "Mick"),
    "Christopher": ("Chris",),
    "Christine": ("Chris", "Chrissie"),
    "Alexander": ("Alex",),
    "Alexandra": ("Alex", "Lexi"),
    "Elizabeth": ("Liz", "Lizzie", "Beth"),
    "Margaret": ("Maggie", "Peggy"),
    "Katherine": ("Kate", "Katie"),
    "Catherine": ("Kate", "Cathy"),
    "Patricia": ("Pat", "Trish"),
    "Patrick": ("Pat", "Paddy"),
    "Daniel": ("Dan", "Danny"),
    "David": ("Dave",),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Anthony": ("Tony",),
    "Andrew": ("Andy",),
    "Benjamin": ("Ben",),
    "Nicholas": ("Nick",),
    "Samuel": ("Sam",),
    "Samantha": ("Sam", "Sammy"),
    "Steven": ("Steve",),
    "Stephen": ("Steve",),
    "Jennifer": ("Jen", "Jenny"),
    "Victoria": ("Vicky", "Tori"),
    "Rebecca": ("Becky", "Becca"),
    "Joseph": ("Joe",),
    "Jonathan": ("Jon", "Jonny"),
    "Matthew": ("Matt",),
    "Deborah": ("Debbie", "Deb"),
    "Natalie": ("Nat",),
    "Gemma": ("Gem",),
}

#: Postcode area -> towns in it (a West Mercia-like force area).
AREAS = {
    "WR": ("Worcester", "Malvern", "Evesham", "Droitwich", "Pershore", "Upton-upon-Severn"),
    "HR": ("Hereford", "Leominster", "Ross-on-Wye", "Ledbury", "Kington"),
    "SY": ("Shrewsbury", "Oswestry", "Ludlow", "Church Stretton", "Whitchurch"),
    "TF": ("Telford", "Wellington", "Newport", "Market Drayton", "Madeley"),
    "DY": ("Kidderminster", "Stourport-on-Severn", "Bewdley"),
    "B": ("Redditch", "Bromsgrove"),
}

STREET_FIRST = _words(
    "Alder Ash Beech Birch Cedar Elm Hazel Holly Larch Maple Oak Rowan Willow Yew Acorn "
    "Badger Bramble Brook Church Clover Court Farm Fern Field Garden Heath Hill Kestrel "
    "Lark Meadow Mill Orchard Park Primrose Quarry Riverside School Severn Station Teme "
    "Wharf Wren Foxglove Heron Linden Poplar Sycamore Thistle Vine Wyre"
)
STREET_KIND = _words(
    "Road Street Lane Close Avenue Drive Way Grove Crescent Gardens Place View Rise"
)
#: Letters allowed in a UK postcode's inward code.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

SCHOOLS = (
    "Oakfield Primary",
    "St Anne's CE Primary",
    "Riverside Academy",
    "Hillcrest High School",
    "Meadow Lane Infants",
    "Severn Vale School",
    "Kingsbrook Primary",
    "Wyre Forest Academy",
)
