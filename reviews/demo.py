"""The demo partnerships' peer reviews, which ``seed_demo`` plays through Cairn's services.

Each demo partnership has two cycles: last academic year's, complete (every report signed off,
the improvement workshops held, the action plans mostly done and the impact reviews written),
and this year's, part-way through (a report signed off with its workshop just held, some
reports submitted, some still in draft, visits still to come, and one school whose self-review
is overdue). Every name is invented, and no child is named or described.

Dates. The completed cycle keeps the default timetable, and its dates are written as
``(month, day)`` in that academic year (a weekend moves to the Monday). The current cycle's
dates are written as school days (Monday to Friday) from the day the demo is seeded, so that
its deadlines are always in the coming weeks, with one already passed. A visit is its first day
and how many school days it lasts; a two-day visit never spans a weekend. Nobody is on two
visits on the same day, although Hollins Park's headteacher reviews in both partnerships.

Text. Self-review sections, pre-review notes, judgements, report summaries, workshop agreements
and impact reviews are written as people type them into Cairn (paragraphs separated by a blank
line, lists with "- "), and given to the services as typed.
"""

from typing import NamedTuple

from partnerships.demo import PRIORITIES, SCHOOL_PEOPLE

from .models import Action, ConflictDeclaration, Evidence, FindingKind, Theme

# --- Who and what the tables refer to ----------------------------------------------------------

MILLBROOK = "millbrook-learning-partnership"
EASTSHIRE = "eastshire-schools-partnership"

OAKFIELD, ST_AIDANS, RIVERSIDE, HOLLINS_PARK, WESTGATE = (
    "990101",
    "990102",
    "990103",
    "990104",
    "990105",
)
NORTHFIELDS, BRACKENHILL, HOLY_CROSS, KINGSMEAD = "990201", "990202", "990203", "990204"

# URN -> email of the school's headteacher, and of its improvement champion.
HEAD = {urn: people[0][1] for urn, people in SCHOOL_PEOPLE.items()}
CHAMPION = {urn: people[1][1] for urn, people in SCHOOL_PEOPLE.items()}


def _active(slug: str) -> list[str]:
    return [
        title for title, _why, _codes, status, _outcome in PRIORITIES[slug] if status == "active"
    ]


WRITING, ATTENDANCE = _active(MILLBROOK)
GAP, IN_SCHOOL = _active(EASTSHIRE)

STRENGTH, AREA = FindingKind.STRENGTH, FindingKind.AREA_TO_DEVELOP
LESSON = Evidence.Kind.LESSON_VISIT
PUPILS = Evidence.Kind.PUPIL_VOICE
BOOKS = Evidence.Kind.WORK_SCRUTINY
DATA = Evidence.Kind.DATA
TALK = Evidence.Kind.CONVERSATION
DOCUMENT = Evidence.Kind.DOCUMENT
DONE, IN_PROGRESS, NOT_STARTED = (
    Action.Status.DONE,
    Action.Status.IN_PROGRESS,
    Action.Status.NOT_STARTED,
)

# A date: (month, day) in the completed cycle's academic year, or school days from the seeding
# day in the current cycle.
When = tuple[int, int] | int


class EvidenceSpec(NamedTuple):
    kind: str
    description: str
    # An attached file: (file name, its text).
    file: tuple[str, str] | None = None


class ChallengeSpec(NamedTuple):
    """A reviewer's question on a finding, its author's answer ("" while unanswered) and the
    evidence the author then added."""

    raised_by: str
    text: str
    reply: str = ""
    added: tuple[EvidenceSpec, ...] = ()


class FindingSpec(NamedTuple):
    kind: str
    author: str
    judgement: str
    evidence: tuple[EvidenceSpec, ...]
    challenge: ChallengeSpec | None = None
    submitted: bool = True


class ReturnSpec(NamedTuple):
    """A report sent back once before it went on: by the partnership lead after submission
    ("return") or by the host headteacher at sign-off ("host_return"); what the lead reviewer
    then added (evidence on a finding, by index) and the summary they submitted again."""

    move: str
    comment: str
    summary: str
    evidence: tuple[tuple[int, EvidenceSpec], ...] = ()


class WorkshopSpec(NamedTuple):
    held_on: When
    participants: str
    agreed: str


class ActionSpec(NamedTuple):
    description: str
    owner: str
    due_on: When
    status: str = NOT_STARTED
    what_changed: str = ""
    # The index, in the review's findings, of the area to develop the action answers.
    finding: int | None = None


class ReviewSpec(NamedTuple):
    urn: str
    priority: str  # the title of one of the partnership's active priorities
    theme: str
    question: str
    self_review: dict[str, str]
    lead_reviewer: str
    reviewers: tuple[str, ...]
    visit: tuple[When, int]  # the first day, and how many school days
    self_review_shared: bool = True
    pre_review_notes: str = ""
    findings: tuple[FindingSpec, ...] = ()
    summary: str = ""
    # How far the report has gone: "draft", "submitted", "quality_assured" or "signed_off".
    report: str = "draft"
    returned: ReturnSpec | None = None
    concern: tuple[str, str] | None = None  # (raised by, the concern)
    workshop: WorkshopSpec | None = None
    actions: tuple[ActionSpec, ...] = ()
    impact_review: str = ""


class ConflictSpec(NamedTuple):
    """A conflict of interest declared after last year's reviews, before this year's teams."""

    user: str
    urn: str
    reason: str
    note: str


class CycleSpec(NamedTuple):
    # Deadlines as days from the seeding day; empty for the default timetable.
    deadlines: dict[str, int]
    reviews: tuple[ReviewSpec, ...]


def paragraphs(*parts: str) -> str:
    """Text typed as paragraphs: one blank line between them."""
    return "\n\n".join(parts)


def self_review(context: str, strengths: str, areas: str, evidence: str, questions: str) -> dict:
    return {
        "context": context,
        "strengths": strengths,
        "areas_to_develop": areas,
        "priority_evidence": evidence,
        "questions": questions,
    }


# === Millbrook Learning Partnership ===========================================================

MILLBROOK_COMPLETED = CycleSpec(
    deadlines={},
    reviews=(
        ReviewSpec(
            urn=OAKFIELD,
            priority=WRITING,
            theme=Theme.LOOKING_INWARD,
            question=(
                "To what extent does our feedback in Year 5 help disadvantaged pupils catch up in "
                "writing?"
            ),
            self_review=self_review(
                "Oakfield is a one-and-a-half-form entry community primary school with just over "
                "300 pupils; just over a third are disadvantaged. Most of our teachers are in "
                "their first five years of teaching. In September we changed how we give "
                "feedback on writing in Key Stage 2.",
                "Reading is a strength: pupils read widely and our phonics results have risen "
                "for three years. Relationships are warm and lessons are calm. Teachers are keen "
                "to learn and welcome visitors into their classrooms.",
                "Writing lags behind reading and maths at the end of Key Stage 2. Disadvantaged "
                "pupils in particular find it hard to sustain a longer piece and to edit it. "
                "Written feedback takes teachers a long time, and we are not sure pupils act on "
                "it.",
                "Last summer 61% of our Year 6 pupils met the expected standard in reading, "
                "writing and maths combined, and writing was the lowest of the three. Our autumn "
                "assessments put disadvantaged pupils in Year 5 about a term behind their "
                "classmates in writing.",
                "Do pupils understand the feedback they are given, and use it to improve their "
                "next piece of writing? Is the time teachers spend on feedback going where it "
                "makes the most difference?",
            ),
            lead_reviewer=HEAD[ST_AIDANS],
            reviewers=(HEAD[WESTGATE],),
            visit=((2, 3), 2),
            pre_review_notes=paragraphs(
                "Catherine and Amina met in school three weeks before the visit.",
                "The team will visit Year 5 writing lessons on both mornings, look at the books "
                "of six pupils in each class (three of them disadvantaged), and talk with a group "
                "of pupils and with the Year 5 teachers.",
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[ST_AIDANS],
                    "Pupils in Year 5 can explain what their teacher's feedback asks them to do "
                    "next, and most of the disadvantaged pupils we spoke to had acted on it in "
                    "their next piece of writing.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Conversation with eight Year 5 pupils, four of them disadvantaged, "
                            "about their writing books: seven could point to a next step and "
                            "show where they had used it.",
                            file=(
                                "pupil-voice-year-5-writing.txt",
                                "Pupil voice: Year 5 writing (eight pupils, four disadvantaged)\n"
                                "\n"
                                "What does your teacher's feedback ask you to do?\n"
                                "- 7 of 8 named a next step from their last piece.\n"
                                "- 6 of 8 showed where they had used it in the next piece.\n"
                                "\n"
                                "What helps you most when you are stuck?\n"
                                "- 'When Miss comes to my table at the start.' (most common)\n"
                                "- Working walls and the class word bank.\n",
                            ),
                        ),
                        EvidenceSpec(
                            BOOKS,
                            "Books of twelve pupils across both Year 5 classes: edits in green "
                            "pen in response to feedback in most pieces since October.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    HEAD[WESTGATE],
                    "Feedback during lessons is precise and timely: teachers go first to the "
                    "pupils who need it most, in the first ten minutes of independent writing.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Both Year 5 writing lessons on the first morning: each teacher had "
                            "spoken with four or five pupils, most of them disadvantaged, before "
                            "the middle of the lesson.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[ST_AIDANS],
                    "Written comments at the end of longer pieces are detailed but rarely acted "
                    "on. The time they take might do more good spent on feedback in lessons and "
                    "whole-class feedback.",
                    (
                        EvidenceSpec(
                            BOOKS,
                            "In the twelve books, end-of-piece comments were followed up in 3 of "
                            "20 pieces.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "The Year 5 teachers estimate they each spend about four hours a week "
                            "writing comments in books.",
                        ),
                    ),
                    challenge=ChallengeSpec(
                        HEAD[WESTGATE],
                        "What leads you to think the end comments are not worth the time? "
                        "Pupils might be acting on them in ways the books don't show.",
                        "A fair question. We asked the pupils: most said they read the end "
                        "comment but did not go back to it, and the teachers agreed. The books "
                        "and the pupils tell the same story, so we have kept the finding, worded "
                        "as a question of where the time is best spent.",
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[WESTGATE],
                    "Disadvantaged pupils have fewer chances to write at length: the longer "
                    "pieces we saw were shorter and more often unfinished than their "
                    "classmates'.",
                    (
                        EvidenceSpec(
                            BOOKS,
                            "In the books of the six disadvantaged pupils, about half of the "
                            "longer pieces were unfinished, against about one in five for their "
                            "classmates.",
                        ),
                        EvidenceSpec(
                            DATA,
                            "The school's autumn writing assessment: 48% of disadvantaged pupils "
                            "in Year 5 working at the expected standard, against 71% of their "
                            "classmates.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Oakfield asked how well its feedback in Year 5 helps disadvantaged pupils catch "
                "up in writing. We found pupils who know their next steps and act on the "
                "feedback they get in lessons; feedback during lessons is a real strength.",
                "The written comments at the end of longer pieces take teachers a great deal of "
                "time for little effect, and disadvantaged pupils write at length less often "
                "than their classmates. We suggest moving time from written comments to "
                "whole-class feedback, and protecting time for extended writing.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (4, 29),
                "Amina Hussain (headteacher), Tom Whitfield (improvement champion), the English "
                "lead, both Year 5 teachers, the Year 6 teacher and two teaching assistants.",
                paragraphs(
                    "From the summer term, Years 5 and 6 stop writing end-of-piece comments and "
                    "hold a weekly whole-class feedback lesson instead.",
                    "The time saved goes to one extended writing session a week, with teaching "
                    "assistants helping disadvantaged pupils to finish their pieces. A book look "
                    "in July will show whether it is working.",
                ),
            ),
            actions=(
                ActionSpec(
                    "Replace end-of-piece comments with a weekly whole-class feedback lesson in "
                    "Years 5 and 6.",
                    "English lead",
                    (5, 8),
                    DONE,
                    "In place in all four classes since the second week of May.",
                    finding=2,
                ),
                ActionSpec(
                    "Timetable a weekly extended writing session, with teaching assistants "
                    "helping disadvantaged pupils to finish their pieces.",
                    "Year 5 teachers",
                    (5, 22),
                    DONE,
                    "Running every week. In July, disadvantaged pupils finished four in five "
                    "longer pieces, up from about half.",
                    finding=3,
                ),
                ActionSpec(
                    "Book look of the same six pupils' writing in July, with St Aidan's.",
                    "Improvement champion",
                    (7, 10),
                    DONE,
                    "Done with St Aidan's improvement champion in the first week of July.",
                ),
            ),
            impact_review=paragraphs(
                "This summer 65% of Year 6 met the expected standard in reading, writing and "
                "maths, up from 61%, and 10% reached the higher standard, up from 8%.",
                "The July book look found disadvantaged pupils in Year 5 finishing four in five "
                "longer pieces, up from about half, and the Year 5 teachers say they save about "
                "three hours a week. We are keeping the approach and extending whole-class "
                "feedback to Year 4 in the autumn.",
            ),
        ),
        ReviewSpec(
            urn=ST_AIDANS,
            priority=WRITING,
            theme=Theme.LOOKING_FORWARD,
            question=(
                "How well does our teaching of grammar in Years 5 and 6 help pupils to write at "
                "greater depth?"
            ),
            self_review=self_review(
                "St Aidan's is a two-form entry Church of England voluntary aided primary school "
                "with just over 400 pupils. Attainment is high and attendance has been well "
                "above the national rate for several years. Around one pupil in six is "
                "disadvantaged.",
                "Three-quarters of our Year 6 pupils reach the expected standard in reading, "
                "writing and maths. Pupils take pride in their work. Moderating writing with "
                "Oakfield has sharpened our teachers' judgements.",
                "Too few pupils write at greater depth, and the proportion has not moved for two "
                "years. Pupils' writing is accurate but can be formulaic, and our most able "
                "writers rarely take risks.",
                "14% of Year 6 reached the higher standard last summer, the same as the year "
                "before. Our moderation samples show accurate grammar and punctuation, but few "
                "pieces where pupils choose a structure or a voice for effect.",
                "Is our grammar teaching helping pupils to write with choice and control, or only "
                "with accuracy? What does greater-depth writing look like at Westgate that we "
                "could learn from?",
            ),
            lead_reviewer=HEAD[WESTGATE],
            reviewers=(HEAD[HOLLINS_PARK],),
            visit=((1, 20), 2),
            pre_review_notes=(
                "Julia and Catherine agreed to focus on Years 5 and 6: two English lessons and "
                "one grammar lesson each morning, the books of pupils working at greater depth, "
                "and a conversation with the English lead."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[WESTGATE],
                    "Grammar is taught systematically and accurately: pupils use the correct "
                    "terms and apply them in their sentences.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Year 6 grammar lesson on the passive voice: every pupil we asked "
                            "could explain when and why to use it.",
                        ),
                        EvidenceSpec(
                            BOOKS,
                            "Grammar and punctuation were accurate across the twelve books we "
                            "looked at.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLLINS_PARK],
                    "Pupils read high-quality books as models for their own writing and talk "
                    "about the authors' choices with confidence.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Six Year 5 pupils compared the opening of their class novel with "
                            "the openings of their own stories.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[WESTGATE],
                    "Grammar is often taught apart from writing, so pupils practise features in "
                    "exercises rather than choosing them for effect in their own pieces.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Two of the three Year 5 and 6 grammar lessons we visited practised "
                            "a feature in single sentences unconnected to the writing unit.",
                        ),
                        EvidenceSpec(
                            DOCUMENT,
                            "The Year 6 English plan timetables grammar as a separate daily "
                            "session.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLLINS_PARK],
                    "The most able writers are rarely given open tasks in which they decide the "
                    "form, audience and structure for themselves.",
                    (
                        EvidenceSpec(
                            BOOKS,
                            "In the books of six pupils working at greater depth, nearly every "
                            "piece followed a shared plan and shared success criteria.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "Pupils said they 'always know what the teacher wants', and several "
                            "would like more choice.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "St Aidan's asked how well its grammar teaching helps pupils write at greater "
                "depth. Grammar is taught thoroughly, pupils write accurately, and they love the "
                "books they read.",
                "The next step is to teach grammar through writing rather than beside it, and to "
                "give the most able writers more open tasks in which they make the choices. "
                "Westgate's greater-depth workshops offer a model the schools could develop "
                "together.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (5, 6),
                "Rev. Catherine Doyle (headteacher), Priya Raman (improvement champion), the "
                "English lead, the four Year 5 and 6 teachers, and Westgate's English lead.",
                paragraphs(
                    "From the summer term, grammar in Years 5 and 6 is taught within each writing "
                    "unit, through the features of the unit's model text.",
                    "Once each half term, pupils working at greater depth complete an open "
                    "writing task of their own design, planned with Westgate's English lead.",
                ),
            ),
            actions=(
                ActionSpec(
                    "Rewrite the Year 5 and 6 writing units so that grammar is taught within them.",
                    "English lead",
                    (6, 12),
                    DONE,
                    "Summer-term units rewritten; the autumn units are being rewritten in the "
                    "same way.",
                    finding=2,
                ),
                ActionSpec(
                    "One open greater-depth writing task each half term, planned with Westgate's "
                    "English lead.",
                    "Year 6 teachers",
                    (7, 10),
                    DONE,
                    "Two tasks run in the summer term; the pieces were moderated with Westgate.",
                    finding=3,
                ),
                ActionSpec(
                    "Moderate greater-depth writing with Westgate every term.",
                    "English lead",
                    (7, 17),
                    IN_PROGRESS,
                    "Summer moderation done; it continues every term.",
                ),
            ),
            impact_review=paragraphs(
                "75% of Year 6 met the expected standard in reading, writing and maths this "
                "summer, up from 72%. The proportion at the higher standard stayed at 14%, so "
                "greater depth is still our challenge.",
                "Teachers and pupils both say the open tasks produced the most ambitious writing "
                "of the year, and moderation with Westgate agreed more pieces at greater depth "
                "than before. We keep the approach and will look for its effect in next year's "
                "results.",
            ),
        ),
        ReviewSpec(
            urn=RIVERSIDE,
            priority=ATTENDANCE,
            theme=Theme.LOOKING_OUTWARD,
            question=(
                "How well do our first-day calls and family support help the families of our "
                "youngest pupils to build good attendance habits?"
            ),
            self_review=self_review(
                "Riverside is an infant and nursery school of about 200 pupils, from Nursery to "
                "Year 2; most move on to Westgate Junior School. Around two in five pupils are "
                "disadvantaged. We have a small office team and a part-time family support "
                "worker.",
                "Our phonics results have risen for three years and children settle quickly in "
                "Nursery and Reception. Families tell us staff are approachable, and our family "
                "support worker knows the families who find things hardest.",
                "Persistent absence is too high, particularly in Reception and Year 1 and among "
                "disadvantaged pupils. Families do not always see why attendance matters before "
                "their child reaches compulsory school age.",
                "Persistent absence was 19.8% last year, down from 21.5% but well above the "
                "partnership average. Two-thirds of our persistently absent pupils are "
                "disadvantaged, and half of them are in Reception and Year 1.",
                "Are our first-day calls reaching the families who need them most? How could we "
                "work with Westgate so that families hear one message about attendance?",
            ),
            lead_reviewer=HEAD[HOLLINS_PARK],
            reviewers=(HEAD[OAKFIELD],),
            visit=((2, 24), 1),
            pre_review_notes=(
                "A one-day visit. The team will see the first-day call routine from 8.45am, meet "
                "the office manager and the family support worker, and talk with parents at the "
                "end of the day."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLLINS_PARK],
                    "Every absence is followed up on the first morning, and the office team "
                    "knows families well enough to ask the right questions.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "The spring-term call log: every unexplained absence was followed "
                            "up by 9.30am.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "Conversation with the office manager and the family support worker "
                            "about the calls they made that morning.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    CHAMPION[RIVERSIDE],
                    "Breakfast club and the nursery's stay-and-play sessions bring into school "
                    "families who rarely came before.",
                    (
                        EvidenceSpec(
                            TALK,
                            "Conversation with five parents at the end of the day; three had a "
                            "child who was often absent last year, and all three now come to "
                            "stay and play.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[OAKFIELD],
                    "The call log records the reason for each absence but not what was agreed "
                    "with the family, so patterns are hard to spot and follow up.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "The autumn call log gives reasons but no next steps for the pupils "
                            "who were persistently absent that term.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "Staff could describe what they had agreed with families, but it "
                            "was not written anywhere the headteacher could see.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLLINS_PARK],
                    "Families of Reception children do not yet hear a shared message about "
                    "attendance from Riverside and Westgate.",
                    (
                        EvidenceSpec(
                            TALK,
                            "Parents of Reception children we spoke to did not know that their "
                            "child's attendance is followed as closely as in Year 1.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Riverside asked how well its first-day calls and family support help the "
                "families of its youngest pupils build good attendance habits. The office team "
                "follows up every absence on the first morning and knows its families well, and "
                "breakfast club and stay-and-play are drawing in families who were hard to reach.",
                "Recording what is agreed with each family would let patterns trigger support "
                "sooner, and a shared message with Westgate from Reception onwards would help "
                "families see attendance as one journey.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (5, 13),
                "Gareth Lloyd (headteacher), Sophie Kettle (improvement champion), the office "
                "manager, the family support worker, the Reception and Year 1 teachers, and "
                "Westgate's attendance lead.",
                paragraphs(
                    "The call log will record what was agreed with each family and a date to "
                    "check back, reviewed every Friday by the headteacher and the family support "
                    "worker.",
                    "Riverside and Westgate will send the same attendance letter to Reception "
                    "families and hold a joint welcome meeting in September.",
                ),
            ),
            actions=(
                ActionSpec(
                    "Add what was agreed and a check-back date to the first-day call log, and "
                    "review it every Friday.",
                    "Office manager",
                    (5, 22),
                    DONE,
                    "In use since mid-May; the Friday reviews led to eleven family meetings in "
                    "the summer term.",
                    finding=2,
                ),
                ActionSpec(
                    "Write a joint attendance letter with Westgate for Reception families.",
                    "Family support worker",
                    (7, 10),
                    DONE,
                    "Sent to every new Reception family in July.",
                    finding=3,
                ),
                ActionSpec(
                    "Hold a joint welcome meeting with Westgate for new Reception families.",
                    "Headteacher",
                    (7, 17),
                    IN_PROGRESS,
                    "Planned with Westgate for the first week of the autumn term.",
                    finding=3,
                ),
            ),
            impact_review=paragraphs(
                "Persistent absence fell to 17.4% this year from 19.8%, and overall absence to "
                "5.6% from 6.1%. The biggest fall was in Reception and Year 1, where the Friday "
                "reviews picked up patterns earlier.",
                "We are still above the partnership average, so attendance remains our enquiry "
                "next year, with Westgate alongside us.",
            ),
        ),
        ReviewSpec(
            urn=HOLLINS_PARK,
            priority=WRITING,
            theme=Theme.OUR_IMPACT,
            question=(
                "To what extent has our new approach to teaching spelling in Key Stage 2 "
                "improved the accuracy of pupils' own writing?"
            ),
            self_review=self_review(
                "Hollins Park is a one-and-a-half-form entry academy in the Millbrook Valley "
                "Learning Trust, with just over 300 pupils; nearly half are disadvantaged. We "
                "are also a member of the Eastshire Schools Partnership.",
                "The gap between disadvantaged pupils and their classmates has narrowed for two "
                "years, and attendance is improving. Our staff are settled and we have strong "
                "links with families.",
                "Writing is the weakest of reading, writing and maths at the end of Key Stage 2, "
                "and spelling is the weakest part of pupils' writing.",
                "59% of Year 6 met the expected standard in reading, writing and maths last "
                "summer. In our moderated writing, two-thirds of the pupils not yet at the "
                "expected standard were held back mainly by spelling. We started a new spelling "
                "programme in Years 3 to 6 a year ago.",
                "Is the spelling programme making a difference in pupils' own writing, and not "
                "only in their spelling tests?",
            ),
            lead_reviewer=HEAD[OAKFIELD],
            reviewers=(HEAD[RIVERSIDE],),
            visit=((3, 3), 2),
            pre_review_notes=(
                "Amina and Olusegun agreed a book look across Key Stage 2 on the first morning, "
                "spelling sessions and writing lessons in every year group, and a conversation "
                "with the Key Stage 2 teachers after school."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[OAKFIELD],
                    "The spelling programme is taught consistently in every Key Stage 2 class, "
                    "and pupils enjoy the short daily sessions.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Spelling sessions in Years 3, 4, 5 and 6 followed the same "
                            "structure, and pupils were engaged throughout.",
                        ),
                        EvidenceSpec(
                            PUPILS,
                            "Pupils in Year 4 explained the spelling rule they were learning "
                            "and gave their own examples.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    CHAMPION[HOLLINS_PARK],
                    "Weekly spelling test scores have risen in every year group since the "
                    "programme began.",
                    (
                        EvidenceSpec(
                            DATA,
                            "The school's spelling tracker: average weekly scores up from 62% "
                            "to 81% between September and February.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[RIVERSIDE],
                    "Spellings learned in the sessions are not yet carried into pupils' own "
                    "writing.",
                    (
                        EvidenceSpec(
                            TALK,
                            "Year 5 and 6 teachers said pupils 'spell it right on Friday and "
                            "wrong on Monday'.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[OAKFIELD],
                    "Checking and correcting spelling is not yet a routine part of pupils' "
                    "editing.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "In three writing lessons pupils edited for content but not for "
                            "spelling; word banks were on the tables but not used.",
                        ),
                    ),
                ),
            ),
            summary=(
                "Hollins Park asked whether its new spelling programme has improved the accuracy "
                "of pupils' own writing. The programme is well taught and test scores have "
                "risen; the next step is to make sure spellings move from the spelling session "
                "into pupils' writing."
            ),
            returned=ReturnSpec(
                "return",
                "Thank you. The first area to develop needs the evidence from the book look, so "
                "the school can see what it rests on, and the summary could say more about what "
                "the school does well.",
                paragraphs(
                    "Hollins Park asked whether its new spelling programme has improved the "
                    "accuracy of pupils' own writing. The programme is taught consistently in "
                    "every Key Stage 2 class, pupils enjoy the daily sessions and can explain "
                    "the rules they learn, and weekly test scores have risen sharply.",
                    "The spellings are not yet carried into pupils' own writing, and checking "
                    "spelling is not yet a routine part of editing. The next step is to make "
                    "that link in every writing lesson.",
                ),
                evidence=(
                    (
                        2,
                        EvidenceSpec(
                            BOOKS,
                            "Book look across Key Stage 2 (18 books): words from recent spelling "
                            "lists were misspelt in most pieces of independent writing.",
                        ),
                    ),
                ),
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (4, 22),
                "Olusegun Adeyemi (headteacher), Rachel Green (improvement champion), the Key "
                "Stage 2 phase leader, the Key Stage 2 teachers and the SENCo.",
                paragraphs(
                    "Every Key Stage 2 writing lesson ends with five minutes of spelling editing, "
                    "using each pupil's own list of words taught in the programme.",
                    "Teachers correct spelling only in words pupils have been taught. A second "
                    "book look in June will show whether the spellings are transferring.",
                ),
            ),
            actions=(
                ActionSpec(
                    "Five minutes of spelling editing at the end of every Key Stage 2 writing "
                    "lesson.",
                    "Key Stage 2 phase leader",
                    (5, 1),
                    DONE,
                    "In place in every class from the first week of May.",
                    finding=3,
                ),
                ActionSpec(
                    "Each pupil keeps a list of the words they have been taught, to check their "
                    "writing against.",
                    "Key Stage 2 teachers",
                    (5, 15),
                    DONE,
                    "Lists in every book; pupils use them in editing time.",
                    finding=2,
                ),
                ActionSpec(
                    "Repeat the book look in June and share it with Oakfield.",
                    "Improvement champion",
                    (6, 26),
                    DONE,
                    "Taught words were misspelt in about one piece in three, down from most "
                    "pieces in March.",
                    finding=2,
                ),
                ActionSpec(
                    "Train the teaching assistants to support spelling editing.",
                    "SENCo",
                    (7, 10),
                    IN_PROGRESS,
                    "Half the teaching assistants trained; the rest in September.",
                ),
            ),
            impact_review=paragraphs(
                "The June book look found taught words misspelt in about one piece in three, "
                "down from most pieces in March.",
                "This summer 58% of Year 6 met the expected standard in reading, writing and "
                "maths, one point below last year: writing improved, but a weaker reading "
                "result held the combined figure back. We keep the spelling routine and will "
                "look at reading with the partnership next year.",
            ),
        ),
        ReviewSpec(
            urn=WESTGATE,
            priority=ATTENDANCE,
            theme=Theme.LOOKING_INWARD,
            question=(
                "To what extent do our rewards for attendance reach the pupils who are "
                "persistently absent?"
            ),
            self_review=self_review(
                "Westgate is a two-form entry junior school for pupils in Years 3 to 6; most "
                "join us from Riverside Infant and Nursery School. About a quarter of our pupils "
                "are disadvantaged.",
                "Writing is a strength: 71% of Year 6 met the expected standard in reading, "
                "writing and maths last summer, and our greater-depth writing workshop is shared "
                "across the partnership. Overall attendance is above the national average.",
                "A small group of pupils, most of them disadvantaged, are persistently absent, "
                "and our class rewards for attendance do not seem to reach them.",
                "Persistent absence was 13.5% last year. Nearly two-thirds of our persistently "
                "absent pupils are disadvantaged, and most of them have been persistently absent "
                "for more than a year.",
                "Do our attendance rewards motivate the pupils who most need to be in school? "
                "What could we learn from Oakfield's first-day calling?",
            ),
            lead_reviewer=HEAD[RIVERSIDE],
            reviewers=(HEAD[ST_AIDANS],),
            visit=((3, 10), 2),
            pre_review_notes=(
                "Gareth and Julia agreed the team will join the Monday attendance assembly, talk "
                "with pupils from each year group, and go through the attendance records and "
                "policy with the attendance lead."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[RIVERSIDE],
                    "Attendance is celebrated warmly and visibly, and most pupils are proud of "
                    "their class's attendance.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Eight pupils from Years 3 to 6 all knew their class's attendance "
                            "for the week and the reward it was working towards.",
                        ),
                        EvidenceSpec(
                            DOCUMENT,
                            "The weekly attendance assembly slides and the class attendance "
                            "displays.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    HEAD[ST_AIDANS],
                    "Leaders know each persistently absent pupil's circumstances well.",
                    (
                        EvidenceSpec(
                            TALK,
                            "The deputy headteacher and the attendance lead talked through the "
                            "circumstances of each persistently absent pupil without notes.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[RIVERSIDE],
                    "Class rewards can leave persistently absent pupils feeling they have let "
                    "their class down, which may make coming back harder.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Two of the four pupils we spoke to who had often been absent said "
                            "their class 'lost the prize' because of them.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "The attendance lead said she had heard the same from parents.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[ST_AIDANS],
                    "Support for persistently absent pupils starts after several weeks of "
                    "absence rather than on the first day.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "The attendance policy sets the first meeting with the family at 90% "
                            "attendance, usually about half a term in.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Westgate asked whether its attendance rewards reach the pupils who are "
                "persistently absent. Attendance is celebrated with real warmth, and leaders "
                "know every persistently absent pupil well.",
                "Class rewards can, however, leave those pupils feeling responsible for their "
                "class missing out, and support starts later than it could. We suggest "
                "recognising each pupil's improvement individually and contacting families "
                "earlier, learning from Oakfield's first-day calling.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (5, 20),
                "Julia Novak (headteacher), Daniel Reeve (improvement champion), the deputy "
                "headteacher, the attendance lead, the Year 3 and 4 teachers and a parent "
                "governor.",
                paragraphs(
                    "Class attendance competitions end. Each pupil's improvement is recognised "
                    "individually and privately instead.",
                    "The attendance lead will adopt Oakfield's first-day calling, and families "
                    "are invited to a meeting after the third unexplained absence in a term.",
                ),
            ),
            actions=(
                ActionSpec(
                    "Replace class attendance competitions with individual recognition of "
                    "improvement.",
                    "Deputy headteacher",
                    (6, 5),
                    DONE,
                    "Class competitions stopped after half term; postcards go home for improved "
                    "attendance.",
                    finding=2,
                ),
                ActionSpec(
                    "Adopt Oakfield's first-day calling, starting with a morning alongside "
                    "Oakfield's office team.",
                    "Attendance lead",
                    (6, 19),
                    DONE,
                    "Every family called on the first morning of an absence since mid-June.",
                    finding=3,
                ),
                ActionSpec(
                    "Invite families to a meeting after the third unexplained absence in a term.",
                    "Attendance lead",
                    (7, 10),
                    DONE,
                    "Attendance policy changed and agreed by governors in July.",
                    finding=3,
                ),
            ),
            impact_review=paragraphs(
                "Persistent absence rose to 14.6% this year from 13.5%, and overall absence to "
                "5.1%. Much of the rise came from a norovirus outbreak that closed two Year 4 "
                "classes for four days in January, before the review.",
                "Since first-day calling began in June, unexplained absences have halved, and "
                "pupils who were often absent say they no longer feel blamed. We will judge the "
                "new approach on a full year's figures, so attendance stays our enquiry next "
                "year.",
            ),
        ),
    ),
)


FIRE_DOOR = (
    "On the second morning of the visit, at about 10.15am, the fire door at the end of the Year "
    "4 corridor was propped open with a chair while classes were in lessons. It opens onto the "
    "staff car park, which has no gate. I mentioned it to a member of staff nearby, who closed "
    "it straight away. I am recording it so that the headteacher can check whether this happens "
    "routinely and whether the door needs an alarm or a closer."
)

MILLBROOK_CURRENT = CycleSpec(
    deadlines={
        "data_sharing_due": -32,
        "self_reviews_due": -15,
        "visits_from": -13,
        "visits_until": 14,
        "reports_due": 19,
        "workshops_due": 45,
        "impact_reviews_due": 140,
    },
    reviews=(
        ReviewSpec(
            urn=OAKFIELD,
            priority=WRITING,
            theme=Theme.OUR_IMPACT,
            question=(
                "How well is whole-class feedback, now used in Years 4 to 6, helping pupils "
                "improve their writing?"
            ),
            self_review=self_review(
                "Oakfield is a one-and-a-half-form entry community primary school with just over "
                "300 pupils; just over a third are disadvantaged. After last year's review we "
                "replaced end-of-piece comments with whole-class feedback in Years 5 and 6, and "
                "this year Year 4 has joined them.",
                "Writing results rose last summer, and disadvantaged pupils now finish most of "
                "their longer pieces. Teachers say the time saved on marking goes into planning "
                "better writing lessons.",
                "Year 4 is new to whole-class feedback, and we are not yet sure it works as well "
                "for younger pupils. Our most able writers need more stretch.",
                "65% of Year 6 met the expected standard in reading, writing and maths last "
                "summer, up from 61%, and 10% reached the higher standard. In July, "
                "disadvantaged pupils in Year 5 finished four in five longer pieces, up from "
                "about half.",
                "Does whole-class feedback work as well in Year 4 as in Years 5 and 6? Are our "
                "most able writers being stretched?",
            ),
            lead_reviewer=HEAD[HOLLINS_PARK],
            reviewers=(HEAD[RIVERSIDE],),
            visit=(-12, 2),
            pre_review_notes=(
                "Olusegun and Amina agreed to look at whole-class feedback lessons in Years 4, 5 "
                "and 6, the books of nine Year 4 pupils, and the writing of the Year 6 pupils "
                "working at greater depth."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLLINS_PARK],
                    "Whole-class feedback is well established in Years 4 to 6: pupils know the "
                    "common errors their class is working on and correct them in their own "
                    "writing.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Whole-class feedback lessons in Years 4, 5 and 6 followed the same "
                            "routine, and pupils started their corrections within minutes.",
                        ),
                        EvidenceSpec(
                            BOOKS,
                            "Books of nine Year 4 pupils: corrections in response to whole-class "
                            "feedback in every piece since the start of term.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[RIVERSIDE],
                    "In Year 4, pupils who need more help can lose track of which of the class's "
                    "next steps apply to them.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Three of the six Year 4 pupils we spoke to could not say what their "
                            "own next step was.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLLINS_PARK],
                    "The most able writers in Year 6 are capable of more than the tasks they are "
                    "given.",
                    (
                        EvidenceSpec(
                            BOOKS,
                            "Books of four Year 6 pupils working at greater depth: most pieces "
                            "were completed well within the lesson, with little redrafting.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "The Year 6 teacher agreed these pupils could take on longer, more "
                            "open pieces.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Oakfield asked how well whole-class feedback, now in Years 4 to 6, is helping "
                "pupils improve their writing. It is well established: pupils know what their "
                "class is working on and act on it.",
                "Younger pupils who need more help sometimes lose track of their own next step, "
                "and the most able writers in Year 6 could be stretched further.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                -2,
                "Amina Hussain (headteacher), Tom Whitfield (improvement champion), the English "
                "lead, the Year 4 and Year 6 teachers and two teaching assistants.",
                paragraphs(
                    "Year 4 pupils will keep a next-step card alongside whole-class feedback, "
                    "checked by a teaching assistant at the start of each writing lesson.",
                    "Year 6 pupils working at greater depth will join Westgate's Friday writing "
                    "workshop from January.",
                ),
            ),
            actions=(
                ActionSpec(
                    "Give each Year 4 pupil a next-step card to use alongside whole-class "
                    "feedback.",
                    "Year 4 teacher",
                    8,
                    IN_PROGRESS,
                    "Cards introduced in one Year 4 class this week.",
                    finding=1,
                ),
                ActionSpec(
                    "Year 6 pupils working at greater depth join Westgate's Friday writing "
                    "workshop.",
                    "English lead",
                    30,
                    NOT_STARTED,
                    finding=2,
                ),
                ActionSpec(
                    "Book look of Year 4 writing with St Aidan's.",
                    "Improvement champion",
                    50,
                    NOT_STARTED,
                ),
            ),
        ),
        ReviewSpec(
            urn=ST_AIDANS,
            priority=ATTENDANCE,
            theme=Theme.LOOKING_OUTWARD,
            question=(
                "How well do we work with Riverside to support the attendance of families with "
                "children in both schools?"
            ),
            self_review=self_review(
                "St Aidan's is a two-form entry Church of England primary school with just over "
                "400 pupils. Around one pupil in six is disadvantaged. Many of our families "
                "also have younger children at Riverside.",
                "Overall attendance has been well above the national rate for several years. "
                "Last year's work with Westgate on greater-depth writing has changed how our "
                "Year 6 teachers plan.",
                "Persistent absence rose slightly last year, and is concentrated in a small "
                "number of families, several of whom also have children at Riverside.",
                "Persistent absence was 12.6% last year, up from 12.3%. About a third of our "
                "persistently absent pupils have a brother or sister at Riverside.",
                "How well do we and Riverside share what we know about families who find "
                "attendance hard? Do families hear the same message from both schools?",
            ),
            lead_reviewer=HEAD[RIVERSIDE],
            reviewers=(HEAD[OAKFIELD],),
            visit=(-8, 2),
            pre_review_notes=(
                "Gareth and Catherine agreed the team will meet both schools' family support "
                "workers together, look at the shared attendance records, and talk with "
                "parents at the school gate."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[RIVERSIDE],
                    "The two schools' family support workers meet every fortnight and know the "
                    "families they share well.",
                    (
                        EvidenceSpec(
                            TALK,
                            "Joint conversation with both family support workers about the "
                            "families they work with together.",
                        ),
                        EvidenceSpec(
                            DOCUMENT,
                            "Notes of the fortnightly meetings since September.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    HEAD[OAKFIELD],
                    "Families value the single point of contact they now have across the two "
                    "schools.",
                    (
                        EvidenceSpec(
                            TALK,
                            "Four parents with children in both schools said they now hear from "
                            "one person rather than two.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[RIVERSIDE],
                    "The schools record attendance concerns differently, so a pattern across a "
                    "family's children is not always seen early.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "St Aidan's records concerns in its attendance system and Riverside "
                            "in its call log; neither shows the other's.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "St Aidan's asked how well it works with Riverside to support the attendance of "
                "families with children in both schools. The family support workers work "
                "closely together and families appreciate having one contact.",
                "The schools record attendance concerns in different places, so a pattern "
                "across a family can be missed. A shared record would help both schools act "
                "sooner.",
            ),
            report="submitted",
        ),
        ReviewSpec(
            urn=RIVERSIDE,
            priority=ATTENDANCE,
            theme=Theme.LOOKING_OUTWARD,
            question=(
                "How well does our joint work with Westgate help the families of Reception "
                "children keep up good attendance as their children move into Year 1?"
            ),
            self_review={
                "context": (
                    "Riverside is an infant and nursery school of about 200 pupils; most move "
                    "on to Westgate Junior School. Around two in five pupils are disadvantaged."
                ),
                "strengths": (
                    "Persistent absence fell last year, most of all in Reception and Year 1, "
                    "after we began reviewing the first-day call log every Friday."
                ),
            },
            self_review_shared=False,
            lead_reviewer=HEAD[WESTGATE],
            reviewers=(HEAD[ST_AIDANS],),
            visit=(8, 1),
        ),
        ReviewSpec(
            urn=HOLLINS_PARK,
            priority=WRITING,
            theme=Theme.LOOKING_FORWARD,
            question=(
                "To what extent does reading aloud and talking about high-quality books widen "
                "the vocabulary pupils use in their writing in Years 3 and 4?"
            ),
            self_review=self_review(
                "Hollins Park is a one-and-a-half-form entry academy with just over 300 pupils; "
                "nearly half are disadvantaged. Last year's review helped us make spelling "
                "editing part of every writing lesson.",
                "Spelling in pupils' own writing has improved, and the gap between disadvantaged "
                "pupils and their classmates continues to narrow.",
                "Pupils' writing is more accurate but their vocabulary is narrow, particularly "
                "for pupils who read little at home.",
                "58% of Year 6 met the expected standard in reading, writing and maths last "
                "summer. Our reading results dipped, and teachers report that limited "
                "vocabulary holds back both reading and writing.",
                "Is the daily class read-aloud widening the words pupils use when they write? "
                "What do other schools in the partnership do that we could try?",
            ),
            lead_reviewer=HEAD[ST_AIDANS],
            reviewers=(HEAD[WESTGATE],),
            visit=(3, 2),
            pre_review_notes=(
                "Catherine and Olusegun agreed the team will join read-aloud sessions and "
                "writing lessons in Years 3 and 4, look at pupils' vocabulary journals, and talk "
                "with a group of pupils about the books they are reading."
            ),
        ),
        ReviewSpec(
            urn=WESTGATE,
            priority=ATTENDANCE,
            theme=Theme.OUR_IMPACT,
            question=(
                "What difference has first-day calling made to the attendance of pupils who "
                "were persistently absent last year?"
            ),
            self_review=self_review(
                "Westgate is a two-form entry junior school for pupils in Years 3 to 6. After "
                "last year's review we stopped class attendance competitions and began calling "
                "every family on the first morning of an absence.",
                "Unexplained absences halved in the summer term after first-day calling began, "
                "and pupils who were often absent say they no longer feel blamed.",
                "Persistent absence rose last year, partly because of an outbreak of illness, "
                "and we want to know whether the new approach is reaching the families who "
                "need it most.",
                "Persistent absence was 14.6% last year, up from 13.5%, and overall absence "
                "5.1%. Since September, attendance among pupils who were persistently absent "
                "last year has been about four points higher than at the same time last year.",
                "Is first-day calling reaching the families who need it most? What more could "
                "we do for the pupils whose attendance has not improved?",
            ),
            lead_reviewer=HEAD[OAKFIELD],
            reviewers=(HEAD[HOLLINS_PARK],),
            visit=(-5, 2),
            pre_review_notes=(
                "Amina and Julia agreed the team will see first-day calling from 8.45am on the "
                "first morning, go through the call log with the attendance lead, and talk with "
                "pupils who were often absent last year."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[OAKFIELD],
                    "First-day calling is well established: every unexplained absence is "
                    "followed up by 9.30am, and what was agreed is written down.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Observed the attendance lead's calls on the first morning of the "
                            "visit.",
                        ),
                        EvidenceSpec(
                            DOCUMENT,
                            "The autumn-term call log, with what was agreed and a date to check "
                            "back for each call.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLLINS_PARK],
                    "A few families are called often but have not yet been offered a meeting in "
                    "school.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "The call log shows some families called on five or more mornings "
                            "this term with no meeting recorded.",
                        ),
                    ),
                    challenge=ChallengeSpec(
                        HEAD[OAKFIELD],
                        "What leads you to think a meeting would help these families? Could "
                        "the calls themselves be enough for some of them?",
                        "The attendance lead told us that for two of these families the reason "
                        "given has been the same every time, which under the school's own policy "
                        "should lead to a meeting. The trigger is there; it is not yet being "
                        "used.",
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    HEAD[OAKFIELD],
                    "Pupils who were often absent last year speak positively about coming to "
                    "school.",
                    (),
                    submitted=False,
                ),
            ),
            concern=(HEAD[OAKFIELD], FIRE_DOOR),
        ),
    ),
)

# Declared after last year's reviews: the partnership lead no longer puts Gareth on
# Westgate's team.
MILLBROOK_CONFLICTS = (
    ConflictSpec(
        HEAD[RIVERSIDE],
        WESTGATE,
        ConflictDeclaration.Reason.RELATIVE,
        "My daughter started work at Westgate as a teaching assistant this September.",
    ),
)


# === Eastshire Schools Partnership ============================================================

EASTSHIRE_COMPLETED = CycleSpec(
    deadlines={},
    reviews=(
        ReviewSpec(
            urn=NORTHFIELDS,
            priority=GAP,
            theme=Theme.OUR_IMPACT,
            question=(
                "To what extent has daily small-group tutoring in Year 6 helped disadvantaged "
                "pupils catch up in reading?"
            ),
            self_review=self_review(
                "Northfields is a two-form entry community primary school. Nearly half our "
                "pupils are disadvantaged, and many join us part-way through their primary "
                "years.",
                "Results have improved for two years in reading, writing and maths. Pupils are "
                "keen readers, and our library is used well before and after school.",
                "Disadvantaged pupils still leave us well behind their classmates, especially "
                "in reading.",
                "57% of Year 6 met the expected standard in reading, writing and maths last "
                "summer, and the gap between disadvantaged pupils and their classmates was 25 "
                "points. Since last spring, disadvantaged pupils in Year 6 who are behind in "
                "reading have had 20 minutes of tutoring a day in groups of three.",
                "Is the tutoring helping pupils read more fluently in class, as well as in the "
                "tutoring sessions? Are the right pupils in the groups?",
            ),
            lead_reviewer=HEAD[HOLY_CROSS],
            reviewers=(HEAD[HOLLINS_PARK],),
            visit=((1, 27), 2),
            pre_review_notes=(
                "Michael and Sarah agreed the team will see tutoring sessions and Year 6 reading "
                "lessons, hear some of the tutored pupils read, and look at the school's "
                "reading assessments."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLY_CROSS],
                    "Tutoring sessions are short, focused and well matched to what each group "
                    "needs.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Three tutoring sessions: each tutor had a clear fluency target for "
                            "the group, and pupils read aloud for most of the time.",
                        ),
                    ),
                ),
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLLINS_PARK],
                    "Tutored pupils read more fluently and with more confidence than the school's "
                    "autumn assessments would suggest.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Six tutored pupils read to us from their class book; five read "
                            "accurately and with expression.",
                        ),
                        EvidenceSpec(
                            DATA,
                            "The school's reading assessments: tutored pupils' reading ages rose "
                            "by an average of 14 months between September and January.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLY_CROSS],
                    "What pupils practise in tutoring is not yet linked to what their class is "
                    "reading, so they cannot always use it in lessons.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "In two Year 6 reading lessons, tutored pupils were reading a "
                            "different text from the one practised in tutoring that morning.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "The tutors and the Year 6 teachers plan separately.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Northfields asked how far daily small-group tutoring has helped disadvantaged "
                "pupils in Year 6 catch up in reading. The sessions are well run, and tutored "
                "pupils read with growing fluency and confidence.",
                "Linking what pupils practise in tutoring to the texts their class is reading "
                "would help them use their new fluency in lessons.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (4, 28),
                "Sarah Pennington (headteacher), Imran Malik (improvement champion), the three "
                "tutors, the Year 6 teachers and the reading lead.",
                "Tutors and Year 6 teachers will plan together each week, so that tutoring "
                "pre-teaches the text the class reads next.",
            ),
            actions=(
                ActionSpec(
                    "Weekly joint planning between tutors and Year 6 teachers.",
                    "Reading lead",
                    (5, 8),
                    DONE,
                    "Every Monday after school since the start of May.",
                    finding=2,
                ),
                ActionSpec(
                    "Tutoring pre-teaches the next class text.",
                    "Tutors",
                    (5, 22),
                    DONE,
                    "In place in all groups since the end of May.",
                    finding=2,
                ),
            ),
            impact_review=paragraphs(
                "This summer 61% of Year 6 met the expected standard in reading, writing and "
                "maths, up from 57%, and the gap between disadvantaged pupils and their "
                "classmates narrowed to 21 points from 25.",
                "Teachers say tutored pupils now join in class reading discussions far more. We "
                "are extending tutoring to Year 5 this year.",
            ),
        ),
        ReviewSpec(
            urn=BRACKENHILL,
            priority=GAP,
            theme=Theme.LOOKING_INWARD,
            question=(
                "How well does our teaching of reading in Key Stage 2 meet the needs of "
                "disadvantaged pupils who are not yet fluent readers?"
            ),
            self_review=self_review(
                "Brackenhill is a sponsored academy in the Eastshire Schools Trust. Over half "
                "our pupils are disadvantaged, and around one in five speaks English as an "
                "additional language.",
                "Attendance has improved for two years, and maths results are rising. Our staff "
                "team is stable and committed.",
                "Reading, writing and maths results have not risen, and the gap for "
                "disadvantaged pupils has widened slightly. Many disadvantaged pupils reach Key "
                "Stage 2 without reading fluently.",
                "53% of Year 6 met the expected standard in reading, writing and maths last "
                "summer, and the gap for disadvantaged pupils was 23 points. About a third of "
                "our Year 3 pupils are not yet fluent readers.",
                "Do pupils who are not yet fluent get enough practice reading aloud? Are "
                "teachers confident to teach fluency in Key Stage 2?",
            ),
            lead_reviewer=HEAD[HOLLINS_PARK],
            reviewers=(HEAD[KINGSMEAD],),
            visit=((2, 10), 2),
            pre_review_notes=(
                "Olusegun and Claire agreed the team will visit reading lessons across Key Stage "
                "2, hear pupils who are not yet fluent read, and talk with the reading lead."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLLINS_PARK],
                    "Pupils enjoy reading and choose books eagerly from well-stocked class "
                    "libraries.",
                    (
                        EvidenceSpec(
                            PUPILS,
                            "Eight Year 3 and 4 pupils talked about the books they were reading "
                            "at home and in class.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[KINGSMEAD],
                    "Pupils who are not yet fluent spend little of a reading lesson reading aloud.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "In four Key Stage 2 reading lessons, pupils who are not yet fluent "
                            "read aloud for about three minutes each.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "Teachers said they were unsure how to teach fluency beyond phonics.",
                        ),
                    ),
                    challenge=ChallengeSpec(
                        HEAD[HOLLINS_PARK],
                        "What leads you to think three minutes is too little? Some of these "
                        "pupils may be reading aloud in other lessons too.",
                        "We checked with the reading lead and looked at the timetable: reading "
                        "aloud happens mainly in the reading lesson, and the pupils we heard "
                        "said they rarely read aloud elsewhere. We have added that to the "
                        "evidence.",
                        added=(
                            EvidenceSpec(
                                DOCUMENT,
                                "The Key Stage 2 timetable: reading aloud is planned only in "
                                "reading lessons.",
                            ),
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLLINS_PARK],
                    "Teachers in Key Stage 2 have had no training in teaching reading fluency.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "The school's training record for the last two years.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Brackenhill asked how well its reading teaching meets the needs of "
                "disadvantaged pupils who are not yet fluent. Pupils love books and read "
                "eagerly.",
                "Pupils who are not yet fluent read aloud for only a few minutes in a lesson, "
                "and teachers would welcome training in teaching fluency.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (5, 11),
                "Claire Fenwick (headteacher), Joe Harding (improvement champion), the reading "
                "lead and the Key Stage 2 teachers.",
                "Every Key Stage 2 teacher will be trained in echo and paired reading, and pupils "
                "who are not yet fluent will read aloud for at least ten minutes every day.",
            ),
            actions=(
                ActionSpec(
                    "Train Key Stage 2 teachers in echo and paired reading.",
                    "Reading lead",
                    (5, 22),
                    DONE,
                    "Training held after school in May for all Key Stage 2 teachers.",
                    finding=2,
                ),
                ActionSpec(
                    "Ten minutes of reading aloud every day for pupils who are not yet fluent.",
                    "Key Stage 2 teachers",
                    (6, 12),
                    DONE,
                    "Timetabled after lunch in every class from June.",
                    finding=1,
                ),
                ActionSpec(
                    "Check fluency every half term for pupils who are not yet fluent.",
                    "Improvement champion",
                    (7, 10),
                    IN_PROGRESS,
                    "First check done in July; it will run every half term.",
                ),
            ),
            impact_review=paragraphs(
                "This summer 52% of Year 6 met the expected standard in reading, writing and "
                "maths, and the gap for disadvantaged pupils widened to 24 points. The changes "
                "came too late in the year to reach this Year 6.",
                "In Years 3 to 5, pupils who were not yet fluent read on average 20 more words a "
                "minute in July than in May. We keep the daily reading aloud and will judge it "
                "on next year's results.",
            ),
        ),
        ReviewSpec(
            urn=HOLY_CROSS,
            priority=GAP,
            theme=Theme.LOOKING_INWARD,
            question=(
                "To what extent does pre-teaching in maths help disadvantaged pupils take a "
                "full part in lessons?"
            ),
            self_review=self_review(
                "Holy Cross is a one-form entry Catholic primary school. Each year group has "
                "only a handful of disadvantaged pupils, so we look at them one by one.",
                "Results in reading, writing and maths are above the national average, and "
                "attendance is good.",
                "Disadvantaged pupils do less well than their classmates in maths, and some "
                "rarely contribute in lessons.",
                "68% of Year 6 met the expected standard in reading, writing and maths last "
                "summer. Our disadvantaged pupils' maths results are consistently the weakest "
                "of their results.",
                "Does pre-teaching help disadvantaged pupils join in maths lessons with "
                "confidence?",
            ),
            lead_reviewer=HEAD[KINGSMEAD],
            reviewers=(HEAD[NORTHFIELDS],),
            visit=((3, 3), 1),
            pre_review_notes=(
                "A one-day visit: pre-teaching sessions before school, maths lessons in Years 4 "
                "to 6, and a conversation with the maths lead."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[KINGSMEAD],
                    "Pre-taught pupils answer questions and explain their thinking with "
                    "confidence in the lesson that follows.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Year 5 maths lesson after a pre-teaching session: the pre-taught "
                            "pupils were among the first to explain a method to the class.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[NORTHFIELDS],
                    "Pre-teaching depends on a small number of staff, so it stops when they are "
                    "away.",
                    (
                        EvidenceSpec(
                            TALK,
                            "The maths lead said pre-teaching did not happen for two weeks in "
                            "January when a teaching assistant was ill.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Holy Cross asked how far pre-teaching in maths helps disadvantaged pupils take "
                "a full part in lessons. It clearly does: pre-taught pupils were among the most "
                "confident in the lessons we saw.",
                "The approach depends on a few people, and more staff could be trained to keep "
                "it going.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (4, 30),
                "Michael O'Connell (headteacher), Hannah Zielinski (improvement champion), the "
                "maths lead, the teachers of Years 4 to 6 and three teaching assistants.",
                "Two more teaching assistants will be trained to lead pre-teaching, so that it "
                "continues when someone is away.",
            ),
            actions=(
                ActionSpec(
                    "Train two more teaching assistants to lead pre-teaching.",
                    "Maths lead",
                    (5, 22),
                    DONE,
                    "Both trained and leading sessions since June.",
                    finding=1,
                ),
                ActionSpec(
                    "A cover rota so that pre-teaching continues during absence.",
                    "Deputy headteacher",
                    (6, 5),
                    DONE,
                    "Rota in place; no sessions missed in the summer term.",
                    finding=1,
                ),
            ),
            impact_review=paragraphs(
                "This summer 71% of Year 6 met the expected standard in reading, writing and "
                "maths, up from 68%, and the gap for disadvantaged pupils narrowed to 16 points "
                "from 19.",
                "Because our groups of disadvantaged pupils are small, we read these figures "
                "with care; but every pre-taught pupil in Year 6 met the expected standard in "
                "maths.",
            ),
        ),
        ReviewSpec(
            urn=KINGSMEAD,
            priority=IN_SCHOOL,
            theme=Theme.LOOKING_OUTWARD,
            question=(
                "To what extent does our early-help offer reach the families of pupils who are "
                "persistently absent?"
            ),
            self_review=self_review(
                "Kingsmead is a two-form entry community primary school serving a large estate "
                "on the edge of town. Around half our pupils are disadvantaged.",
                "Results in reading, writing and maths have risen for two years. Families trust "
                "the school, and our breakfast club is well used.",
                "Absence has risen, and a quarter of our pupils are persistently absent.",
                "Persistent absence was 24.2% last year, up from 23.8%, and overall absence "
                "6.6%. Most persistently absent pupils come from families already known to "
                "early-help services.",
                "Are we reaching these families early enough, and working well enough with the "
                "other services that support them?",
            ),
            lead_reviewer=HEAD[BRACKENHILL],
            reviewers=(HEAD[HOLY_CROSS],),
            visit=((2, 24), 2),
            pre_review_notes=(
                "Claire and Beverley agreed the team will meet the family support team, look "
                "at how early help is offered, and talk with the local authority's attendance "
                "officer."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[BRACKENHILL],
                    "Families trust the family support team and come to it for help.",
                    (
                        EvidenceSpec(
                            TALK,
                            "Conversation with four parents who had been helped by the family "
                            "support team this year.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLY_CROSS],
                    "Early help is offered once absence is already persistent rather than when "
                    "it first starts to slip.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "Early-help records: most referrals were made after attendance had "
                            "fallen below 90%.",
                        ),
                        EvidenceSpec(
                            TALK,
                            "The local authority's attendance officer would welcome earlier "
                            "referrals.",
                        ),
                    ),
                ),
            ),
            summary=(
                "Kingsmead asked whether its early-help offer reaches the families of pupils "
                "who are persistently absent. Families trust the family support team. Help is "
                "offered late, once absence is already persistent."
            ),
            returned=ReturnSpec(
                "host_return",
                "Thank you for a helpful report. Please could the summary mention the pupils "
                "with long-term illness this year: they account for much of the rise, and "
                "early help would not have changed their attendance.",
                paragraphs(
                    "Kingsmead asked whether its early-help offer reaches the families of pupils "
                    "who are persistently absent. Families trust the family support team and "
                    "come to it for help.",
                    "Part of this year's rise in absence comes from a small number of pupils "
                    "with long-term illness. For the others, help is offered once absence is "
                    "already persistent; offering it when attendance first slips would reach "
                    "families sooner.",
                ),
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (5, 14),
                "Beverley Shaw (headteacher), Ravi Chauhan (improvement champion), the family "
                "support team, the attendance officer and the Year 1 and 2 teachers.",
                "Families will be offered early help when attendance first falls below 95%, and "
                "the school will copy Northfields' attendance clinics.",
            ),
            actions=(
                ActionSpec(
                    "Offer early help when a pupil's attendance first falls below 95%.",
                    "Family support lead",
                    (6, 5),
                    DONE,
                    "In place since June; nine families took up the offer.",
                    finding=1,
                ),
                ActionSpec(
                    "Run weekly attendance clinics, learning from Northfields.",
                    "Attendance officer",
                    (7, 10),
                    IN_PROGRESS,
                    "Two clinics held after a visit to Northfields; weekly from September.",
                    finding=1,
                ),
            ),
            impact_review=paragraphs(
                "Persistent absence rose to 25.0% this year from 24.2%, and overall absence to "
                "6.9%. Eight pupils missed much of the spring term through long-term illness.",
                "Leaving them aside, persistent absence fell slightly in the summer term, after "
                "early help started at 95%. Attendance remains our enquiry next year.",
            ),
        ),
        ReviewSpec(
            urn=HOLLINS_PARK,
            priority=GAP,
            theme=Theme.LOOKING_INWARD,
            question=(
                "How well do our teaching assistants help disadvantaged pupils become "
                "independent learners in maths?"
            ),
            self_review=self_review(
                "Hollins Park is an academy in the Millbrook Valley Learning Trust with just "
                "over 300 pupils; nearly half are disadvantaged. We are also a member of the "
                "Millbrook Learning Partnership.",
                "The gap between disadvantaged pupils and their classmates has narrowed for two "
                "years. Our teaching assistants are experienced and well liked.",
                "Some disadvantaged pupils rely on adult help in maths lessons and struggle to "
                "start work on their own.",
                "The gap for disadvantaged pupils was 22 points last summer, down from 24. In "
                "maths, disadvantaged pupils who are supported by a teaching assistant in most "
                "lessons make less progress than those who are not.",
                "Does the way our teaching assistants support pupils help them become independent?",
            ),
            lead_reviewer=HEAD[NORTHFIELDS],
            reviewers=(HEAD[BRACKENHILL],),
            visit=((3, 10), 2),
            pre_review_notes=(
                "Sarah and Olusegun agreed the team will visit maths lessons in every Key Stage 2 "
                "class and talk with the teaching assistants."
            ),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[NORTHFIELDS],
                    "Teaching assistants know the pupils they support very well and build warm, "
                    "encouraging relationships.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Maths lessons in six Key Stage 2 classes.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[BRACKENHILL],
                    "Teaching assistants often step in before pupils have had time to try, so "
                    "some pupils wait for help rather than starting.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "In four lessons, supported pupils waited for the teaching assistant "
                            "before starting independent work.",
                        ),
                        EvidenceSpec(
                            PUPILS,
                            "Pupils said they 'wait for Miss to explain it again'.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Hollins Park asked how well its teaching assistants help disadvantaged pupils "
                "become independent in maths. Teaching assistants know their pupils well and "
                "support them warmly.",
                "Giving pupils time to try before stepping in would help them become more "
                "independent.",
            ),
            report="signed_off",
            workshop=WorkshopSpec(
                (5, 7),
                "Olusegun Adeyemi (headteacher), Rachel Green (improvement champion), the maths "
                "lead and the teaching assistants.",
                "Teaching assistants will use a 'try, then ask' routine: pupils try on their own "
                "for three minutes before an adult steps in.",
            ),
            actions=(
                ActionSpec(
                    "Introduce a 'try, then ask' routine in maths lessons.",
                    "Maths lead",
                    (5, 22),
                    DONE,
                    "Used in every Key Stage 2 class since late May.",
                    finding=1,
                ),
                ActionSpec(
                    "Training for teaching assistants on scaffolding independence.",
                    "SENCo",
                    (6, 19),
                    DONE,
                    "All teaching assistants trained in June.",
                    finding=1,
                ),
            ),
            impact_review=paragraphs(
                "The gap between disadvantaged pupils and their classmates narrowed to 19 points "
                "this summer, from 22.",
                "Teachers report that supported pupils now start their work on their own far "
                "more often. We keep the routine and will share it with the partnership.",
            ),
        ),
    ),
)

EASTSHIRE_CURRENT = CycleSpec(
    deadlines={
        "data_sharing_due": -30,
        "self_reviews_due": -9,
        "visits_from": -8,
        "visits_until": 14,
        "reports_due": 18,
        "workshops_due": 50,
        "impact_reviews_due": 150,
    },
    reviews=(
        ReviewSpec(
            urn=NORTHFIELDS,
            priority=GAP,
            theme=Theme.LOOKING_FORWARD,
            question=(
                "How well is small-group tutoring in Year 5 helping disadvantaged pupils catch "
                "up in reading before they reach Year 6?"
            ),
            self_review=self_review(
                "Northfields is a two-form entry community primary school; nearly half our "
                "pupils are disadvantaged. After last year's review, tutoring now pre-teaches "
                "the class text, and this year we extended it to Year 5.",
                "Results rose again last summer and the gap for disadvantaged pupils narrowed. "
                "Tutored pupils take a full part in class reading.",
                "Tutoring in Year 5 is new, and our tutors are stretched across two year groups.",
                "61% of Year 6 met the expected standard in reading, writing and maths last "
                "summer, up from 57%, and the gap for disadvantaged pupils narrowed to 21 points "
                "from 25.",
                "Is tutoring in Year 5 as effective as in Year 6? How can we keep it going "
                "without more staff?",
            ),
            lead_reviewer=HEAD[BRACKENHILL],
            reviewers=(HEAD[KINGSMEAD],),
            visit=(-7, 2),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[BRACKENHILL],
                    "Tutoring in Year 5 follows the same well-planned routine as in Year 6, "
                    "and pupils read the next class text with growing confidence.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Two Year 5 tutoring sessions and the reading lesson that followed.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[KINGSMEAD],
                    "With tutors spread across two year groups, sessions are sometimes "
                    "shortened or missed.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "The tutoring register: about one session in six shortened or missed "
                            "since September.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Northfields asked how well tutoring in Year 5 is helping disadvantaged pupils "
                "catch up in reading. The sessions are well planned and pupils are growing in "
                "confidence.",
                "Tutors are stretched across two year groups and some sessions are missed; "
                "protecting the tutoring timetable would secure the gains.",
            ),
            report="quality_assured",
        ),
        ReviewSpec(
            urn=BRACKENHILL,
            priority=GAP,
            theme=Theme.OUR_IMPACT,
            question=(
                "To what extent has daily reading aloud improved the fluency of disadvantaged "
                "pupils in Years 3 and 4?"
            ),
            self_review=self_review(
                "Brackenhill is a sponsored academy; over half our pupils are disadvantaged. "
                "After last year's review every Key Stage 2 teacher was trained in teaching "
                "fluency, and pupils who are not yet fluent read aloud every day.",
                "Pupils who were not yet fluent read noticeably faster and more accurately by "
                "the end of last year. Attendance continues to improve.",
                "Results in reading, writing and maths have not yet risen, and the gap for "
                "disadvantaged pupils widened again last year.",
                "52% of Year 6 met the expected standard last summer and the gap widened to 24 "
                "points. In Years 3 to 5, pupils who were not yet fluent gained on average 20 "
                "words a minute between May and July.",
                "Is the daily reading aloud well taught in every class? Is it helping pupils "
                "understand what they read, as well as read faster?",
            ),
            lead_reviewer=HEAD[HOLY_CROSS],
            reviewers=(HEAD[NORTHFIELDS],),
            visit=(-5, 2),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLY_CROSS],
                    "Daily reading aloud is taught consistently, with well-chosen texts and "
                    "clear modelling by teachers.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "Reading-aloud sessions in all four Year 3 and 4 classes.",
                        ),
                        EvidenceSpec(
                            PUPILS,
                            "Five pupils read to us and talked about how reading aloud helps them.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[NORTHFIELDS],
                    "Sessions focus on speed and accuracy; pupils are rarely asked what the "
                    "text means.",
                    (
                        EvidenceSpec(
                            LESSON,
                            "In three of the four sessions, no questions were asked about the "
                            "meaning of the text.",
                        ),
                    ),
                ),
            ),
            summary=paragraphs(
                "Brackenhill asked how far daily reading aloud has improved the fluency of "
                "disadvantaged pupils in Years 3 and 4. It is taught consistently and well, and "
                "pupils read with growing fluency.",
                "Adding questions about meaning to each session would help pupils understand "
                "what they read as well as read it faster.",
            ),
            report="submitted",
        ),
        ReviewSpec(
            urn=HOLY_CROSS,
            priority=IN_SCHOOL,
            theme=Theme.LOOKING_INWARD,
            question=(
                "How well do we support the attendance of pupils with medical needs and their "
                "families?"
            ),
            self_review=self_review(
                "Holy Cross is a one-form entry Catholic primary school. Our attendance is good "
                "overall, but a few pupils with medical needs miss a great deal of school.",
                "Persistent absence has fallen for two years, and families tell us the school "
                "is caring and flexible.",
                "Pupils with long-term medical needs fall behind when they are away, and we "
                "have no consistent way of keeping them connected with their class.",
                "Overall absence was 4.7% last year and persistent absence 12.2%. A small "
                "number of pupils with medical needs account for a large share of our absence.",
                "How well do we keep pupils with medical needs connected with their learning "
                "and their friends while they are away?",
            ),
            lead_reviewer=HEAD[HOLLINS_PARK],
            reviewers=(HEAD[BRACKENHILL],),
            visit=(-1, 1),
            findings=(
                FindingSpec(
                    STRENGTH,
                    HEAD[HOLLINS_PARK],
                    "Each pupil with a medical need has a clear care plan, known to every adult "
                    "who works with them.",
                    (
                        EvidenceSpec(
                            DOCUMENT,
                            "Care plans for pupils with medical needs (seen with the SENCo; "
                            "not copied).",
                        ),
                        EvidenceSpec(
                            TALK,
                            "Three class teachers described the plans for pupils in their "
                            "classes without notes.",
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[BRACKENHILL],
                    "When pupils are away for long periods, work is sent home but there is no "
                    "regular contact with their class.",
                    (
                        EvidenceSpec(
                            TALK,
                            "The SENCo and two parents described how contact works during long "
                            "absences.",
                        ),
                    ),
                    challenge=ChallengeSpec(
                        HEAD[HOLLINS_PARK],
                        "What leads you to think contact with the class matters as much as the "
                        "work? Parents may prefer the school not to add to their load.",
                        "Both parents raised it unprompted: they said their child's biggest "
                        "worry about coming back was losing touch with friends. I have added "
                        "that to the evidence.",
                        added=(
                            EvidenceSpec(
                                TALK,
                                "Both parents said, without being asked, that their child's "
                                "biggest worry about returning was losing touch with friends.",
                            ),
                        ),
                    ),
                ),
                FindingSpec(
                    AREA,
                    HEAD[HOLLINS_PARK],
                    "Returning after a long absence is not planned with the pupil.",
                    (),
                    submitted=False,
                ),
            ),
        ),
        ReviewSpec(
            urn=KINGSMEAD,
            priority=IN_SCHOOL,
            theme=Theme.LOOKING_OUTWARD,
            question=(
                "How well do our weekly attendance clinics help families whose children's "
                "attendance has started to slip?"
            ),
            self_review={
                "context": (
                    "Kingsmead is a two-form entry community primary school; around half our "
                    "pupils are disadvantaged."
                ),
                "priority_evidence": (
                    "Persistent absence was 25.0% last year, including eight pupils with "
                    "long-term illness."
                ),
            },
            self_review_shared=False,
            lead_reviewer=HEAD[NORTHFIELDS],
            reviewers=(HEAD[HOLLINS_PARK],),
            visit=(10, 2),
        ),
        ReviewSpec(
            urn=HOLLINS_PARK,
            priority=GAP,
            theme=Theme.LOOKING_FORWARD,
            question=(
                "To what extent does 'try, then ask' help disadvantaged pupils work "
                "independently beyond maths?"
            ),
            self_review=self_review(
                "Hollins Park is an academy with just over 300 pupils; nearly half are "
                "disadvantaged. After last year's review we introduced 'try, then ask' in maths "
                "lessons.",
                "The gap for disadvantaged pupils narrowed again last summer, and supported "
                "pupils now start maths tasks on their own far more often.",
                "Pupils do not yet bring the same independence to writing and to science.",
                "The gap for disadvantaged pupils narrowed to 19 points last summer from 22.",
                "Is 'try, then ask' used beyond maths? What helps pupils carry it from one "
                "subject to another?",
            ),
            lead_reviewer=HEAD[KINGSMEAD],
            reviewers=(HEAD[HOLY_CROSS],),
            visit=(5, 2),
            pre_review_notes=(
                "Beverley and Olusegun agreed the team will visit writing and science lessons in "
                "Years 4 to 6 and talk with a group of teaching assistants."
            ),
        ),
    ),
)


CYCLES = {
    MILLBROOK: {"completed": MILLBROOK_COMPLETED, "current": MILLBROOK_CURRENT},
    EASTSHIRE: {"completed": EASTSHIRE_COMPLETED, "current": EASTSHIRE_CURRENT},
}

# Declared before this year's teams were chosen, by partnership.
CONFLICTS = {MILLBROOK: MILLBROOK_CONFLICTS, EASTSHIRE: ()}


# === The published partnership reviews ========================================================
#
# Each partnership publishes last year's review: the lead's own sections, a line and a few
# paragraphs on each active priority, and each school's summary as drafted from its signed-off
# report (its headteacher approves it). Millbrook then corrects its review: version 2.


class PublicationSpec(NamedTuple):
    introduction: str
    next_steps: str
    # Priority title: (where we are, in one line; what the partnership did and what changed).
    priorities: dict[str, tuple[str, str]]
    # (the corrected introduction, the public note of what changed), or None.
    correction: tuple[str, str] | None = None


PUBLICATIONS = {
    MILLBROOK: PublicationSpec(
        introduction=paragraphs(
            "This is the second yearly review of the Millbrook Learning Partnership: five "
            "primary schools that visit each other, look honestly at what they find and work "
            "together on two shared priorities.",
            "Every school hosted a peer review this year. Each one asked its own question about "
            "writing or attendance, and each agreed an action plan with its staff afterwards.",
        ),
        next_steps=paragraphs(
            "Next year we keep both priorities. Writing stays our first: the schools furthest "
            "from their targets will pair up with those that moved fastest.",
            "We will publish our next review in the summer term.",
        ),
        priorities={
            "Every pupil leaves Year 6 a fluent, confident writer": (
                "Most schools are on track for their writing targets; two are not yet.",
                paragraphs(
                    "Teachers from every school now plan one unit of writing together each "
                    "term, and pupils redraft their work after feedback in every Year 6 class.",
                    "The share of pupils reaching the expected standard in reading, writing and "
                    "maths rose in four of our schools.",
                ),
            ),
            "Disadvantaged pupils attend as well as their classmates": (
                "Persistent absence fell in three schools and rose in one.",
                paragraphs(
                    "Each school named one member of staff to follow up the first day of any "
                    "absence, and the schools shared the letters and calls that worked best.",
                    "It is early: attendance takes longer than a year to change.",
                ),
            ),
        },
        correction=(
            paragraphs(
                "This is the second yearly review of the Millbrook Learning Partnership: five "
                "primary schools that visit each other, look honestly at what they find and "
                "work together on two shared priorities.",
                "Every school hosted a peer review this year. Each one asked its own question "
                "about writing or attendance, and each agreed an action plan with its staff "
                "afterwards. Riverside, an infant school, has no Year 6 figures on writing.",
            ),
            "We added that Riverside, an infant school, has no Year 6 writing figures, which "
            "is why it is missing from the writing charts.",
        ),
    ),
    EASTSHIRE: PublicationSpec(
        introduction=paragraphs(
            "The Eastshire Schools Partnership is four primary schools working so that "
            "disadvantaged pupils do as well as their classmates and every child is in school.",
            "This review sets out what our peer reviews found this year and what each school "
            "did about it.",
        ),
        next_steps=paragraphs(
            "Next year every school will review its feedback to disadvantaged pupils in "
            "writing, and we will share what we learn at a joint training day.",
        ),
        priorities={
            "Close the gap for disadvantaged pupils in reading, writing and maths": (
                "The gap narrowed in two schools and held steady in the others.",
                paragraphs(
                    "Schools compared how they use their pupil premium, and moved tutoring into "
                    "the school day so that the pupils who need it most can attend.",
                ),
            ),
            "Every child in school, ready to learn": (
                "Overall absence fell in every school that shares its figures.",
                paragraphs(
                    "Breakfast clubs opened earlier in two schools, and the schools agreed one "
                    "way of talking with families about absence.",
                ),
            ),
        },
    ),
}
