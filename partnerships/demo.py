"""The fictional partnerships, schools and people that ``seed_demo`` creates.

Every name, URN and address here is invented. URNs in the 99xxxx range are not issued to
real schools, so the demo data never collides with an imported GIAS extract.
"""

import datetime

from .models import Role

DEMO_PASSWORD = "cairn-demo-2026"  # noqa: S105 - set only when DEBUG is on

SCHOOLS = {
    "990101": {
        "name": "Oakfield Primary School",
        "laestab": "9992101",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Millbrook",
        "postcode": "MB1 4QT",
    },
    "990102": {
        "name": "St Aidan's CofE Primary School",
        "laestab": "9993102",
        "phase": "Primary",
        "establishment_type": "Voluntary aided school",
        "local_authority": "Millbrook",
        "postcode": "MB2 7HD",
    },
    "990103": {
        "name": "Riverside Infant and Nursery School",
        "laestab": "9992103",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Millbrook",
        "postcode": "MB3 1RS",
    },
    "990104": {
        "name": "Hollins Park Academy",
        "laestab": "9992104",
        "phase": "Primary",
        "establishment_type": "Academy converter",
        "local_authority": "Millbrook",
        "postcode": "MB4 9PA",
        "trust_name": "Millbrook Valley Learning Trust",
    },
    "990105": {
        "name": "Westgate Junior School",
        "laestab": "9992105",
        "phase": "Primary",
        "establishment_type": "Foundation school",
        "local_authority": "Millbrook",
        "postcode": "MB5 2WJ",
    },
    "990201": {
        "name": "Northfields Community Primary School",
        "laestab": "9982201",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Eastshire",
        "postcode": "ES1 3NF",
    },
    "990202": {
        "name": "Brackenhill Primary Academy",
        "laestab": "9982202",
        "phase": "Primary",
        "establishment_type": "Academy sponsor led",
        "local_authority": "Eastshire",
        "postcode": "ES2 8BH",
        "trust_name": "Eastshire Schools Trust",
    },
    "990203": {
        "name": "Holy Cross Catholic Primary School",
        "laestab": "9983203",
        "phase": "Primary",
        "establishment_type": "Voluntary aided school",
        "local_authority": "Eastshire",
        "postcode": "ES3 5HC",
    },
    "990204": {
        "name": "Kingsmead Primary School",
        "laestab": "9982204",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Eastshire",
        "postcode": "ES4 6KM",
    },
}

PARTNERSHIPS = [
    {
        "slug": "millbrook-learning-partnership",
        "name": "Millbrook Learning Partnership",
        "purpose": (
            "We exist so that every child in Millbrook, whichever of our schools they attend, "
            "leaves primary school a confident, fluent reader and writer."
        ),
        "values": (
            "We are open with each other about what is not working. We visit to learn, not to "
            "judge. We ask 'what leads you to think that?' and expect to be asked it. We keep "
            "what we see in each other's schools confidential until the school chooses to share it."
        ),
        "public_summary": (
            "Five primary schools in Millbrook working together since 2023 on reading, writing "
            "and attendance."
        ),
        "joined_on": datetime.date(2023, 9, 1),
        "schools": ["990101", "990102", "990103", "990104", "990105"],
        "lead": ("Dr Helen Marsh", "helen.marsh@millbrook-partnership.example"),
    },
    {
        "slug": "eastshire-schools-partnership",
        "name": "Eastshire Schools Partnership",
        "purpose": (
            "We work together so that disadvantaged pupils in our schools do as well as their "
            "classmates, and so that every child is in school, ready to learn."
        ),
        "values": (
            "We share our data honestly and early. Every school gives as much as it takes. "
            "Challenge is kind and specific; praise is evidenced."
        ),
        "public_summary": (
            "Four Eastshire primary schools and one Millbrook school improving attendance and "
            "outcomes for disadvantaged pupils together."
        ),
        "joined_on": datetime.date(2024, 9, 1),
        # Hollins Park Academy belongs to both partnerships.
        "schools": ["990201", "990202", "990203", "990204", "990104"],
        "lead": ("Marcus Boateng", "marcus.boateng@eastshire-partnership.example"),
    },
]

# URN -> (headteacher, improvement champion), each (name, email).
SCHOOL_PEOPLE = {
    "990101": (
        ("Amina Hussain", "a.hussain@oakfield.example"),
        ("Tom Whitfield", "t.whitfield@oakfield.example"),
    ),
    "990102": (
        ("Rev. Catherine Doyle", "c.doyle@staidans.example"),
        ("Priya Raman", "p.raman@staidans.example"),
    ),
    "990103": (
        ("Gareth Lloyd", "g.lloyd@riverside-infants.example"),
        ("Sophie Kettle", "s.kettle@riverside-infants.example"),
    ),
    "990104": (
        ("Olusegun Adeyemi", "o.adeyemi@hollinspark.example"),
        ("Rachel Green", "r.green@hollinspark.example"),
    ),
    "990105": (
        ("Julia Novak", "j.novak@westgate.example"),
        ("Daniel Reeve", "d.reeve@westgate.example"),
    ),
    "990201": (
        ("Sarah Pennington", "s.pennington@northfields.example"),
        ("Imran Malik", "i.malik@northfields.example"),
    ),
    "990202": (
        ("Claire Fenwick", "c.fenwick@brackenhill.example"),
        ("Joe Harding", "j.harding@brackenhill.example"),
    ),
    "990203": (
        ("Michael O'Connell", "m.oconnell@holycross.example"),
        ("Hannah Zielinski", "h.zielinski@holycross.example"),
    ),
    "990204": (
        ("Beverley Shaw", "b.shaw@kingsmead.example"),
        ("Ravi Chauhan", "r.chauhan@kingsmead.example"),
    ),
}

SITE_ADMIN = ("Cairn Support", "support@cairn.example")

AGREEMENT_TEXT = """\
1. Purpose. Member schools share school-level data on the partnership's priority measures so \
that together we can choose our shared priorities, set stretch targets and see our impact.

2. What we share. Only school-level figures: attainment, attendance and the gaps for \
disadvantaged pupils. Never information that identifies a pupil. Figures for groups of fewer \
than 6 pupils stay inside the school.

3. Who sees it. Headteachers, partnership leads, improvement champions and peer reviewers of \
member schools that have signed this agreement. Nothing is published until the school's \
headteacher has signed off the review it appears in.

4. How we use it. To learn from each other, never to rank or compare schools in public.

5. Leaving. A school that leaves stops seeing other schools' data from that day; what it \
shared before stays part of the partnership's record."""

# Schools whose headteacher has not yet signed, so the demo shows what that looks like.
UNSIGNED_URNS = {"990204"}

# An invitation waiting to be accepted: (partnership slug, invited by lead, email, URN).
PENDING_INVITATIONS = [
    ("millbrook-learning-partnership", "l.osei@oakfield.example", "990101"),
]

SCHOOL_ROLE_ORDER = [Role.HEADTEACHER, Role.IMPROVEMENT_CHAMPION]


# Per partnership: (title, why, measure codes, status, outcome when closed).
PRIORITIES = {
    "millbrook-learning-partnership": [
        (
            "Every pupil leaves Year 6 a fluent, confident writer",
            "Writing is the weakest of reading, writing and maths in four of our five schools: "
            "on average 11 points below reading at the expected standard in 2024/25.",
            ["ks2_rwm_expected", "ks2_rwm_higher"],
            "active",
            "",
        ),
        (
            "Disadvantaged pupils attend as well as their classmates",
            "Persistent absence among disadvantaged pupils is nearly double that of other "
            "pupils in every school, and rising in three.",
            ["persistent_absence", "overall_absence"],
            "active",
            "",
        ),
        (
            "Early reading: every child reads by the end of Year 1",
            "In 2022/23 only two of our schools were above the national phonics pass rate.",
            ["phonics_expected"],
            "closed",
            "All five schools now teach the same validated phonics programme. The pass rate "
            "rose from 71% to 84% across the partnership over two years; the partnership "
            "agreed to keep it as everyday practice rather than a shared priority.",
        ),
    ],
    "eastshire-schools-partnership": [
        (
            "Close the gap for disadvantaged pupils in reading, writing and maths",
            "The gap between disadvantaged pupils and others at the expected standard is "
            "between 18 and 27 points in our schools, wider than nationally.",
            ["ks2_rwm_disadvantaged_gap", "ks2_rwm_expected"],
            "active",
            "",
        ),
        (
            "Every child in school, ready to learn",
            "Overall absence is above the national average in four of our five schools.",
            ["overall_absence", "persistent_absence"],
            "active",
            "",
        ),
        (
            "Arithmetic fluency in Key Stage 2",
            "Maths scaled scores were below 103 in three schools in 2023/24.",
            ["ks2_maths_scaled"],
            "closed",
            "Average maths scaled scores rose by 2 points in the three schools that were "
            "furthest behind. Arithmetic now runs through each school's own improvement plan.",
        ),
    ],
}
