"""The fictional partnerships, schools and people that ``seed_demo`` creates.

Every name, URN and address here is invented. URNs in the 99xxxx range are not issued to
real schools, so the demo data never collides with an imported GIAS extract.
"""

import datetime
from typing import NamedTuple

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
        "town": "Millbrook",
    },
    "990102": {
        "name": "St Aidan's CofE Primary School",
        "laestab": "9993102",
        "phase": "Primary",
        "establishment_type": "Voluntary aided school",
        "local_authority": "Millbrook",
        "postcode": "MB2 7HD",
        "town": "Millbrook",
    },
    "990103": {
        "name": "Riverside Infant and Nursery School",
        "laestab": "9992103",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Millbrook",
        "postcode": "MB3 1RS",
        "town": "Riverside",
    },
    "990104": {
        "name": "Hollins Park Academy",
        "laestab": "9992104",
        "phase": "Primary",
        "establishment_type": "Academy converter",
        "local_authority": "Millbrook",
        "postcode": "MB4 9PA",
        "town": "Hollins Park",
        "trust_name": "Millbrook Valley Learning Trust",
    },
    "990105": {
        "name": "Westgate Junior School",
        "laestab": "9992105",
        "phase": "Primary",
        "establishment_type": "Foundation school",
        "local_authority": "Millbrook",
        "postcode": "MB5 2WJ",
        "town": "Westgate",
    },
    "990201": {
        "name": "Northfields Community Primary School",
        "laestab": "9982201",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Eastshire",
        "postcode": "ES1 3NF",
        "town": "Eastbury",
    },
    "990202": {
        "name": "Brackenhill Primary Academy",
        "laestab": "9982202",
        "phase": "Primary",
        "establishment_type": "Academy sponsor led",
        "local_authority": "Eastshire",
        "postcode": "ES2 8BH",
        "town": "Brackenhill",
        "trust_name": "Eastshire Schools Trust",
    },
    "990203": {
        "name": "Holy Cross Catholic Primary School",
        "laestab": "9983203",
        "phase": "Primary",
        "establishment_type": "Voluntary aided school",
        "local_authority": "Eastshire",
        "postcode": "ES3 5HC",
        "town": "Eastbury",
    },
    "990204": {
        "name": "Kingsmead Primary School",
        "laestab": "9982204",
        "phase": "Primary",
        "establishment_type": "Community school",
        "local_authority": "Eastshire",
        "postcode": "ES4 6KM",
        "town": "Kingsmead",
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
            "Writing is the weakest of reading, writing and maths in all four of our schools "
            "with Year 6 pupils: on average 11 points below reading at the expected standard in "
            "2024/25.",
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


# Each school's figures, for the academic years below (by starting year: 2023 means 2023/24).
# Figures are per school, not per partnership: Hollins Park Academy has one set, covering the
# measures of both its partnerships' priorities. Every school also has its KS2 reading and
# maths scaled scores, except Riverside, an infant school with no Key Stage 2 pupils, and
# Westgate, a junior school, which has no Year 1 pupils to take the phonics check.
FIGURE_YEARS = (2023, 2024, 2025)

# The disadvantaged gap is the percentage of other pupils meeting the expected standard minus
# that of disadvantaged pupils: positive while disadvantaged pupils are behind, so lower is better.
# URN -> measure code -> (2023/24, 2024/25, 2025/26).
FIGURES = {
    "990101": {  # Oakfield: steady gains in writing and attendance
        "ks2_rwm_expected": (58, 61, 65),
        "ks2_rwm_higher": (7, 8, 10),
        "ks2_reading_scaled": (104.2, 104.6, 105.1),
        "ks2_maths_scaled": (103.8, 104.1, 104.5),
        "phonics_expected": (70, 78, 84),
        "overall_absence": (5.6, 5.3, 4.9),
        "persistent_absence": (17.8, 16.2, 14.1),
    },
    "990102": {  # St Aidan's: high-attaining, attendance already well above national
        "ks2_rwm_expected": (70, 72, 75),
        "ks2_rwm_higher": (13, 14, 14),
        "ks2_reading_scaled": (106.8, 107.2, 107.5),
        "ks2_maths_scaled": (105.9, 106.3, 106.4),
        "phonics_expected": (77, 85, 88),
        "overall_absence": (4.2, 4.0, 4.1),
        "persistent_absence": (12.9, 12.3, 12.6),
    },
    "990103": {  # Riverside Infant and Nursery: phonics and attendance only
        "phonics_expected": (68, 75, 83),
        "overall_absence": (6.4, 6.1, 5.6),
        "persistent_absence": (21.5, 19.8, 17.4),
    },
    "990104": {  # Hollins Park, in both partnerships: writing stalled, gap and attendance improving
        "ks2_rwm_expected": (57, 59, 58),
        "ks2_rwm_higher": (6, 7, 7),
        "ks2_rwm_disadvantaged_gap": (24, 22, 19),
        "ks2_reading_scaled": (103.9, 104.3, 104.0),
        "ks2_maths_scaled": (103.5, 103.9, 104.2),
        "phonics_expected": (69, 77, 81),
        "overall_absence": (5.8, 5.5, 5.2),
        "persistent_absence": (18.9, 17.6, 16.0),
    },
    "990105": {  # Westgate Junior: the partnership's strongest writing, attendance slipping
        "ks2_rwm_expected": (68, 71, 74),
        "ks2_rwm_higher": (10, 12, 14),
        "ks2_reading_scaled": (106.1, 106.5, 106.9),
        "ks2_maths_scaled": (105.2, 105.4, 105.8),
        "overall_absence": (4.9, 4.8, 5.1),
        "persistent_absence": (14.2, 13.5, 14.6),
    },
    "990201": {  # Northfields: improving on every measure
        "ks2_rwm_expected": (54, 57, 61),
        "ks2_rwm_disadvantaged_gap": (27, 25, 21),
        "ks2_reading_scaled": (103.1, 103.6, 104.2),
        "ks2_maths_scaled": (102.4, 103.3, 104.5),
        "overall_absence": (6.2, 5.9, 5.5),
        "persistent_absence": (22.1, 20.4, 18.1),
    },
    "990202": {  # Brackenhill: attendance improving, attainment flat and the gap widening
        "ks2_rwm_expected": (51, 53, 52),
        "ks2_rwm_disadvantaged_gap": (22, 23, 24),
        "ks2_reading_scaled": (102.6, 103.0, 102.9),
        "ks2_maths_scaled": (101.8, 102.9, 103.9),
        "overall_absence": (6.8, 6.4, 6.0),
        "persistent_absence": (24.6, 23.1, 21.0),
    },
    "990203": {  # Holy Cross: a small school, so few disadvantaged pupils in each Year 6
        "ks2_rwm_expected": (66, 68, 71),
        "ks2_rwm_disadvantaged_gap": (18, 19, 16),
        "ks2_reading_scaled": (105.4, 105.9, 106.2),
        "ks2_maths_scaled": (104.1, 104.6, 105.0),
        "overall_absence": (4.6, 4.5, 4.7),
        "persistent_absence": (13.4, 12.8, 12.2),
    },
    "990204": {  # Kingsmead: attainment rising, absence rising too
        "ks2_rwm_expected": (55, 58, 60),
        "ks2_rwm_disadvantaged_gap": (25, 24, 23),
        "ks2_reading_scaled": (102.8, 103.4, 103.9),
        "ks2_maths_scaled": (102.1, 103.0, 104.0),
        "overall_absence": (6.5, 6.6, 6.9),
        "persistent_absence": (23.8, 24.2, 25.0),
    },
}

# Which pupils each measure's cohort size counts.
MEASURE_COHORTS = {
    "ks2_rwm_expected": "year6",
    "ks2_rwm_higher": "year6",
    "ks2_reading_scaled": "year6",
    "ks2_maths_scaled": "year6",
    "ks2_rwm_disadvantaged_gap": "disadvantaged_year6",
    "phonics_expected": "year1",
    "overall_absence": "on_roll",
    "persistent_absence": "on_roll",
}

# URN -> pupils in each cohort, in the years of FIGURE_YEARS. "on_roll" counts the pupils of
# compulsory school age, whose sessions the absence measures count.
COHORTS = {
    "990101": {"year6": (58, 60, 57), "year1": (60, 59, 60), "on_roll": (408, 414, 411)},
    "990102": {"year6": (29, 30, 28), "year1": (30, 30, 29), "on_roll": (204, 208, 212)},
    "990103": {"year1": (58, 60, 57), "on_roll": (171, 176, 174)},
    "990104": {
        "year6": (44, 45, 43),
        "year1": (45, 44, 45),
        "disadvantaged_year6": (16, 15, 17),
        "on_roll": (312, 318, 315),
    },
    "990105": {"year6": (59, 60, 58), "on_roll": (236, 238, 240)},
    "990201": {
        "year6": (58, 59, 60),
        "disadvantaged_year6": (22, 21, 23),
        "on_roll": (405, 412, 418),
    },
    "990202": {
        "year6": (30, 29, 30),
        "disadvantaged_year6": (15, 14, 16),
        "on_roll": (207, 203, 210),
    },
    # Five disadvantaged pupils in Year 6 in 2023/24: too few for anyone outside the school to
    # see the gap that year.
    "990203": {"year6": (21, 24, 22), "disadvantaged_year6": (5, 7, 8), "on_roll": (158, 162, 160)},
    "990204": {
        "year6": (44, 45, 46),
        "disadvantaged_year6": (17, 18, 16),
        "on_roll": (318, 324, 329),
    },
}

# (URN, measure code, year) -> the school's note on that figure.
FIGURE_NOTES = {
    ("990203", "ks2_rwm_disadvantaged_gap", 2023): "Five disadvantaged pupils in Year 6.",
    ("990105", "overall_absence", 2025): (
        "Norovirus closed two Year 4 classes for four days in January."
    ),
    ("990204", "persistent_absence", 2025): (
        "Eight pupils missed much of the spring term through long-term illness."
    ),
}


# Targets start from each school's 2024/25 figure and most are for 2027/28.
TARGET_BASELINE_YEAR = 2024
TARGET_YEAR = 2027


class TargetSpec(NamedTuple):
    """A school's target on a measure: the value, the headteacher's statement, and for a floor
    target (a level to hold) why."""

    value: float
    statement: str
    floor_reason: str = ""
    target_year: int = TARGET_YEAR


# Partnership slug -> URN -> measure code -> the school's target, on its active priorities.
TARGETS = {
    "millbrook-learning-partnership": {
        "990101": {
            "ks2_rwm_expected": TargetSpec(
                70,
                "Moderating Year 6 writing with St Aidan's each term shows our teachers exactly "
                "what the expected standard looks like, and we plan our teaching from it.",
            ),
            "ks2_rwm_higher": TargetSpec(
                12,
                "Our most able writers join Westgate's Friday writing workshop, where they see "
                "what greater depth looks like in pupils their own age.",
            ),
            "persistent_absence": TargetSpec(
                12,
                "We share an attendance officer with Hollins Park two days a week, and her "
                "early-help calls home are already bringing our persistent absentees back.",
            ),
            "overall_absence": TargetSpec(
                4.5,
                "With the partnership's shared attendance letters and first-day calling, we "
                "speak to every family on the first morning their child is absent.",
            ),
        },
        "990102": {
            "ks2_rwm_expected": TargetSpec(
                78,
                "Moderating writing with Oakfield each term keeps our judgements honest, and our "
                "Year 6 teachers visit Westgate's writing lessons every half term.",
            ),
            "ks2_rwm_higher": TargetSpec(
                16,
                "Our Year 5 and 6 teachers plan greater-depth writing units with Westgate's "
                "English lead, so the stretch reaches more than a handful of pupils.",
            ),
            "persistent_absence": TargetSpec(
                11.5,
                "Riverside's family support worker now meets the families whose younger children "
                "are there with us, so we work on a household's attendance together.",
            ),
            "overall_absence": TargetSpec(
                4.2,
                "We share our attendance routines with the other schools, and what they teach us "
                "about the families who struggle most helps us keep our own rate where it is.",
                floor_reason=(
                    "Our overall absence has been well below the national rate for three years. "
                    "With our roll growing, holding it at or below 4.2% is the aim rather than "
                    "pushing it lower."
                ),
            ),
        },
        "990103": {
            "persistent_absence": TargetSpec(
                15,
                "Our pupils move on to Westgate, so we track persistent absence with them from "
                "Reception and families hear one consistent message from both schools.",
            ),
            "overall_absence": TargetSpec(
                5.2,
                "Oakfield's first-day calling routine and the partnership's attendance letters "
                "give our small office team a system we could not have built alone.",
            ),
        },
        "990104": {
            "ks2_rwm_expected": TargetSpec(
                65,
                "Our Year 6 teachers spend a day each term in Westgate's writing lessons and "
                "moderate with St Aidan's: writing is where we have most to learn from them.",
            ),
            "ks2_rwm_higher": TargetSpec(
                10,
                "Westgate's greater-depth workshops give our strongest writers an audience and a "
                "standard to aim at beyond our own classrooms.",
            ),
            "persistent_absence": TargetSpec(
                14,
                "Sharing an attendance officer with Oakfield means every persistent absentee is "
                "followed up within a week, which we could never staff on our own.",
            ),
            "overall_absence": TargetSpec(
                4.8,
                "The partnership's shared attendance figures let us compare ourselves week by "
                "week with four other schools and act as soon as we slip.",
            ),
        },
        "990105": {
            "ks2_rwm_expected": TargetSpec(
                76,
                "Opening our writing lessons to the partnership's Year 6 teachers makes us "
                "sharpen our own practice, and moderating with St Aidan's keeps us honest.",
            ),
            "ks2_rwm_higher": TargetSpec(
                15,
                "Planning greater-depth units with St Aidan's English lead gives us a second pair "
                "of eyes on how far our best writers can go.",
            ),
            "persistent_absence": TargetSpec(
                12,
                "Riverside shares the attendance history of every pupil who joins us in Year 3, "
                "so we start working with a family before the first absence, not the tenth.",
            ),
            "overall_absence": TargetSpec(
                4.5,
                "Watching Oakfield's office team run first-day calling showed us what we were "
                "missing; we now use their routine every morning.",
            ),
        },
    },
    "eastshire-schools-partnership": {
        "990201": {
            "ks2_rwm_disadvantaged_gap": TargetSpec(
                18,
                "Our disadvantaged Year 6 pupils join Brackenhill's at the partnership's Saturday "
                "reading and maths school, taught by teachers from all five schools.",
            ),
            "ks2_rwm_expected": TargetSpec(
                65,
                "Moderating Year 6 writing with Holy Cross and borrowing their maths fluency "
                "sessions lifts the whole cohort, not only the pupils we target.",
            ),
            "overall_absence": TargetSpec(
                5,
                "The partnership's attendance officer visits families with us, and all five "
                "schools now use the same letters and the same thresholds.",
            ),
            "persistent_absence": TargetSpec(
                16,
                "Comparing persistent absence with four other schools each half term shows us "
                "early which year groups need the attendance officer's time.",
            ),
        },
        "990202": {
            "ks2_rwm_disadvantaged_gap": TargetSpec(
                16,
                "Holy Cross's disadvantaged pupils do as well as their classmates, and their "
                "deputy is coaching our Year 5 and 6 teachers in the same feedback routines.",
            ),
            "ks2_rwm_expected": TargetSpec(
                60,
                "Moderating with Northfields each term has shown us where our writing judgements "
                "were generous; now our teaching starts from what pupils can really do.",
            ),
            "overall_absence": TargetSpec(
                5.8,
                "With the shared attendance officer and Northfields' breakfast club as our "
                "model, we aim to be close to the national rate by next summer.",
                target_year=2026,
            ),
            "persistent_absence": TargetSpec(
                18,
                "Holy Cross's attendance lead meets ours every fortnight to go through our "
                "persistent absentees one by one and agree who calls which family.",
            ),
        },
        "990203": {
            "ks2_rwm_disadvantaged_gap": TargetSpec(
                14,
                "We have only a handful of disadvantaged pupils in each year, so we follow each "
                "one with the partnership's gap group and learn from Northfields' larger cohort.",
            ),
            "ks2_rwm_expected": TargetSpec(
                74,
                "Leading maths fluency sessions for Brackenhill's teachers keeps us sharp, and "
                "moderating writing with Northfields does the same for our writing.",
            ),
            "overall_absence": TargetSpec(
                4.2,
                "Our attendance is already good; hearing how the other schools reach their "
                "hardest-to-reach families is what helps us improve it further.",
            ),
            "persistent_absence": TargetSpec(
                11.5,
                "The partnership's attendance officer works with us on the few families we find "
                "hardest to reach, which is what makes this last step possible.",
            ),
        },
        "990204": {
            "ks2_rwm_disadvantaged_gap": TargetSpec(
                18,
                "Our disadvantaged Year 6 pupils now go to the partnership's Saturday school, and "
                "we are learning Holy Cross's feedback routines to narrow a gap we have not moved "
                "on our own.",
            ),
            "ks2_rwm_expected": TargetSpec(
                64,
                "Our Year 6 teachers moderate writing with Northfields and Brackenhill each "
                "term, so we see what other schools achieve with cohorts like ours.",
            ),
            "overall_absence": TargetSpec(
                5.8,
                "Our absence has risen for two years; the partnership's attendance officer and "
                "shared letters give us the system we need to turn it round.",
            ),
            "persistent_absence": TargetSpec(
                20,
                "Brackenhill's persistent absence is falling faster than ours, and their "
                "attendance lead is coaching ours in weekly case reviews.",
            ),
        },
        "990104": {
            "ks2_rwm_disadvantaged_gap": TargetSpec(
                15,
                "Our disadvantaged Year 6 pupils join the partnership's Saturday reading and "
                "maths school, and Holy Cross's deputy is coaching our teachers on feedback.",
            ),
            "ks2_rwm_expected": TargetSpec(
                65,
                "Belonging to both partnerships lets us bring Westgate's writing teaching to "
                "Eastshire and Eastshire's work on the disadvantaged gap back to Millbrook.",
            ),
            "overall_absence": TargetSpec(
                4.8,
                "We compare attendance each half term with the schools of both partnerships, "
                "so we can borrow whichever routine is working best.",
            ),
            "persistent_absence": TargetSpec(
                14,
                "Eastshire's weekly case reviews of persistent absentees now sit alongside "
                "Millbrook's first-day calling in our own attendance meeting.",
            ),
        },
    },
}
