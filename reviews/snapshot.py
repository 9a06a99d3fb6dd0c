"""What a partnership review says to the public, built from the drafts: the snapshot and its checks.

``build_content`` turns the lead's draft into plain data (text as sanitised HTML, figures as
strings): exactly what a published version stores, and what the preview shows. Figures come
only from ``priorities.selectors.public_impact``, so a suppressed figure or a school that has
not signed the agreement in force never reaches it. Nothing else is read: no finding, no
evidence, no challenge, no self-review, no meeting notes, no safeguarding concern.

``checks`` lists what the lead should look at before publishing: words that look like people's
names, figures left out because cohorts are small, empty sections, summaries not yet approved
(which stop publication), reports reopened since they were drawn on (which stop it too).
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import richtext
from partnerships.models import RoleAssignment
from priorities.models import Priority, format_academic_year
from priorities.selectors import public_impact

from . import policy
from .models import (
    Action,
    PartnershipReview,
    ReportStatus,
    SummaryStatus,
)

SCHEMA = 1


def _figure(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _measure_content(impact, markers: dict[str, int]) -> dict:
    measure = impact.measure
    suppressed = 0
    schools = []
    for line in impact.schools:
        figures = []
        for year in impact.years:
            figure = line.figure(year)
            if figure is not None and figure.suppressed and figure.value is None:
                suppressed += 1
            figures.append(
                [
                    year,
                    _figure(figure.value) if figure else None,
                    bool(figure and figure.value is None and figure.suppressed),
                ]
            )
        target = None
        if line.target is not None:
            target = {
                "value": _figure(line.target.target_value),
                "year": line.target.target_year,
                "baseline_year": line.target.baseline.academic_year,
                "baseline_value": _figure(line.baseline_value),
                "is_floor": line.target.is_floor,
            }
        schools.append(
            {
                "urn": line.school.urn,
                "name": line.school.name,
                "marker": markers.get(line.school.urn, 0),
                "figures": figures,
                "target": target,
                "progress": line.assessment.progress.value if line.assessment else None,
                "progress_label": str(line.assessment.progress.label) if line.assessment else "",
            }
        )
    return {
        "code": measure.code,
        "name": measure.name,
        "unit_suffix": measure.unit_suffix,
        "higher_is_better": measure.higher_is_better,
        "direction": str(measure.get_direction_display()),
        "source": str(measure.get_source_display()),
        "min": _figure(measure.min_value),
        "max": _figure(measure.max_value),
        "years": impact.years,
        "average": [[s.year, _figure(s.average)] for s in impact.partnership],
        "schools": schools,
        "suppressed": suppressed,
        "counts": {key: value for key, value in impact.counts.items() if value},
    }


def _action_counts(actions: list[Action]) -> dict:
    counts = Counter(action.status for action in actions)
    return {status.value: counts.get(status.value, 0) for status in Action.Status}


def draft_of(review: PartnershipReview) -> PartnershipReview:
    """The review with everything the snapshot reads, in a fixed number of queries."""
    return (
        PartnershipReview.objects.select_related("cycle__partnership")
        .prefetch_related(
            "priority_narratives__priority__measures",
            "school_summaries__school",
            "school_summaries__peer_review__priority",
            "school_summaries__peer_review__actions",
        )
        .get(pk=review.pk)
    )


def build_content(review: PartnershipReview) -> dict:
    """The public review as plain data: what publishing freezes and the preview shows."""
    review = draft_of(review)
    cycle = review.cycle
    partnership = cycle.partnership
    members = list(policy.member_schools(partnership).order_by("name"))
    markers = {school.urn: index for index, school in enumerate(members)}

    priorities = []
    for narrative in review.priority_narratives.all():
        priority = narrative.priority
        impact = public_impact(priority)
        measures = [_measure_content(m, markers) for m in impact["measures"]]
        counts = Counter()
        for measure in impact["measures"]:
            counts.update(measure.counts)
        priorities.append(
            {
                "id": priority.pk,
                "title": priority.title,
                "status": priority.status,
                "where_we_are": narrative.where_we_are,
                "narrative": richtext.sanitise(narrative.narrative),
                "measures": measures,
                "counts": {key: value for key, value in counts.items() if value},
            }
        )

    summaries = []
    for summary in review.school_summaries.all():
        peer_review = summary.peer_review
        summaries.append(
            {
                "urn": summary.school.urn,
                "name": summary.school.name,
                "priority": peer_review.priority.title if peer_review.priority else "",
                "found": richtext.sanitise(summary.found),
                "did": richtext.sanitise(summary.did),
                "actions": _action_counts(list(peer_review.actions.all())),
                "approved": summary.status == SummaryStatus.APPROVED,
            }
        )

    return {
        "schema": SCHEMA,
        "partnership": {"name": partnership.name, "slug": partnership.slug},
        "academic_year": cycle.academic_year,
        "year_label": format_academic_year(cycle.academic_year),
        "purpose": richtext.sanitise(review.purpose),
        "values": richtext.sanitise(review.values),
        "introduction": richtext.sanitise(review.introduction),
        "next_steps": richtext.sanitise(review.next_steps),
        "schools": [
            {
                "urn": school.urn,
                "name": school.name,
                "town": school.town,
                "local_authority": school.local_authority,
                "phase": school.phase,
                "marker": markers[school.urn],
            }
            for school in members
        ],
        "priorities": priorities,
        "school_summaries": summaries,
        "built_at": timezone.now().isoformat(),
    }


# --- Checks before publishing ------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """Something the lead should look at; ``blocking`` ones stop publication."""

    kind: str  # "name", "suppressed", "empty", "unapproved", "reopened", "no_report"
    message: str
    url: str = ""
    blocking: bool = False


HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Prof", "Professor", "Rev")
_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
_HONORIFIC_NAME = re.compile(rf"\b(?:{'|'.join(HONORIFICS)})\.?\s+{_NAME_WORD}")
_CAPITALISED_PAIR = re.compile(rf"(?<![\w.])({_NAME_WORD})\s+({_NAME_WORD})\b")
# Capitalised words that are not people in a school's public review.
COMMON_WORDS = frozenset(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "We",
        "Our",
        "Us",
        "They",
        "Their",
        "It",
        "Its",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "And",
        "But",
        "Or",
        "With",
        "By",
        "From",
        "To",
        "As",
        "If",
        "When",
        "Where",
        "What",
        "Why",
        "How",
        "Each",
        "Every",
        "All",
        "Some",
        "Most",
        "Many",
        "More",
        "Less",
        "Both",
        "After",
        "Before",
        "During",
        "Since",
        "Until",
        "Over",
        "Under",
        "Between",
        "Across",
        "Next",
        "Last",
        "First",
        "Second",
        "Third",
        "Year",
        "Years",
        "Key",
        "Stage",
        "Stages",
        "Reception",
        "Nursery",
        "Primary",
        "Secondary",
        "Infant",
        "Infants",
        "Junior",
        "School",
        "Schools",
        "Academy",
        "Academies",
        "Trust",
        "Partnership",
        "Partnerships",
        "Council",
        "County",
        "Borough",
        "Church",
        "England",
        "Catholic",
        "CofE",
        "Community",
        "Foundation",
        "Voluntary",
        "Aided",
        "Controlled",
        "Free",
        "English",
        "Maths",
        "Mathematics",
        "Science",
        "Reading",
        "Writing",
        "Phonics",
        "History",
        "Geography",
        "Music",
        "Art",
        "Computing",
        "Languages",
        "French",
        "Spanish",
        "Physical",
        "Education",
        "Religious",
        "Ofsted",
        "Department",
        "DfE",
        "Local",
        "Authority",
        "Pupil",
        "Premium",
        "Special",
        "Educational",
        "Needs",
        "Disabilities",
        "Send",
        "SEND",
        "SENCO",
        "Headteacher",
        "Headteachers",
        "Deputy",
        "Teacher",
        "Teachers",
        "Governors",
        "Governing",
        "Board",
        "Parents",
        "Carers",
        "Families",
        "Children",
        "Pupils",
        "Staff",
        "Leaders",
        "Leadership",
        "Team",
        "Teams",
        "Champion",
        "Champions",
        "Review",
        "Reviews",
        "Peer",
        "Improvement",
        "Workshop",
        "Workshops",
        "Impact",
        "Plan",
        "Action",
        "Actions",
        "Priority",
        "Priorities",
        "Target",
        "Targets",
        "Stretch",
        "Summer",
        "Autumn",
        "Spring",
        "Term",
        "Terms",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Good",
        "Better",
        "Even",
        "Well",
        "What",
        "Went",
        "Strengths",
        "Areas",
        "Develop",
        "Attendance",
        "Absence",
        "Persistent",
        "Disadvantaged",
        "Gap",
        "National",
        "Average",
        "Expected",
        "Standard",
        "Higher",
        "Library",
        "Book",
        "Books",
        "Club",
        "Clubs",
        "Breakfast",
        "After",
        "Hall",
        "Class",
        "Classes",
        "Group",
        "Groups",
        "Programme",
    ]
)


def _plain(html: str) -> str:
    return richtext.plain_text(html or "")


def _known_names(partnership) -> set[str]:
    """Full names and surnames of the people Cairn knows in the partnership."""
    names = set()
    for name in RoleAssignment.objects.filter(partnership=partnership).values_list(
        "user__name", flat=True
    ):
        name = (name or "").strip()
        if len(name) >= 3:
            names.add(name)
            parts = name.split()
            if len(parts) > 1 and len(parts[-1]) >= 4 and parts[-1] not in COMMON_WORDS:
                names.add(parts[-1])
    return names


def looks_like_names(text: str, *, known: set[str], allowed: set[str]) -> list[str]:
    """Phrases in ``text`` that look like a person's name, in the order they appear."""
    found: dict[str, int] = {}
    for match in _HONORIFIC_NAME.finditer(text):
        found.setdefault(match.group(0), match.start())
    for match in _CAPITALISED_PAIR.finditer(text):
        first, second = match.group(1), match.group(2)
        if {first, second} & (COMMON_WORDS | allowed):
            continue
        found.setdefault(match.group(0), match.start())
    for name in known:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            found.setdefault(match.group(0), match.start())
    # A phrase inside a longer one found already ("Patel" in "Mrs Patel") is said once.
    phrases = sorted(found, key=lambda phrase: found[phrase])
    return [p for p in phrases if not any(p != other and p in other for other in phrases)]


def checks(review: PartnershipReview, content: dict) -> list[Check]:
    """What the lead should look at before publishing ``content`` (built from ``review``)."""
    review = draft_of(review)
    partnership = review.cycle.partnership
    slug, year = partnership.slug, review.cycle.academic_year
    compose_url = reverse("publication_compose", args=[slug, year])
    found: list[Check] = []

    # Words of the partnership's own (its schools, its priorities) are not people.
    allowed = set(partnership.name.split())
    for school in content["schools"]:
        allowed.update(school["name"].split())
        allowed.update(school["town"].split())
    for priority in content["priorities"]:
        allowed.update(priority["title"].split())
    known = _known_names(partnership)

    texts = [
        (_("the shared purpose"), content["purpose"], compose_url),
        (_("the values"), content["values"], compose_url),
        (_("the introduction"), content["introduction"], compose_url),
        (_("the next steps"), content["next_steps"], compose_url),
    ]
    for narrative, priority in zip(
        review.priority_narratives.all(), content["priorities"], strict=True
    ):
        url = reverse("publication_priority_edit", args=[slug, year, narrative.pk])
        where = _("the priority “%(title)s”") % {"title": priority["title"]}
        texts.append((where, priority["where_we_are"], url))
        texts.append((where, priority["narrative"], url))
    summaries = {s.school.urn: s for s in review.school_summaries.all()}
    for summary in content["school_summaries"]:
        url = reverse("publication_school_edit", args=[slug, year, summary["urn"]])
        where = _("%(school)s’s summary") % {"school": summary["name"]}
        texts.append((where, summary["found"], url))
        texts.append((where, summary["did"], url))

    for where, html, url in texts:
        for phrase in looks_like_names(_plain(html), known=known, allowed=allowed):
            found.append(
                Check(
                    "name",
                    _("“%(phrase)s” in %(where)s looks like a person’s name.")
                    % {"phrase": phrase, "where": where},
                    url,
                )
            )

    for label, key in (
        (_("The shared purpose"), "purpose"),
        (_("The introduction"), "introduction"),
        (_("The next steps"), "next_steps"),
    ):
        if not _plain(content[key]).strip():
            found.append(
                Check("empty", _("%(section)s is empty.") % {"section": label}, compose_url)
            )
    for narrative, priority in zip(
        review.priority_narratives.all(), content["priorities"], strict=True
    ):
        url = reverse("publication_priority_edit", args=[slug, year, narrative.pk])
        if not priority["where_we_are"].strip() or not _plain(priority["narrative"]).strip():
            found.append(
                Check(
                    "empty",
                    _("The priority “%(title)s” has no words yet: say where it stands.")
                    % {"title": priority["title"]},
                    url,
                )
            )
        if not any(
            value is not None
            for measure in priority["measures"]
            for line in measure["schools"]
            for _year, value, _suppressed in line["figures"]
        ):
            found.append(
                Check(
                    "empty",
                    _("The priority “%(title)s” has no figures the public may see.")
                    % {"title": priority["title"]},
                    url,
                )
            )
        for measure in priority["measures"]:
            if measure["suppressed"]:
                found.append(
                    Check(
                        "suppressed",
                        ngettext(
                            "%(count)s figure on %(measure)s is left out: fewer than "
                            "%(threshold)s pupils were in the group.",
                            "%(count)s figures on %(measure)s are left out: fewer than "
                            "%(threshold)s pupils were in the group.",
                            measure["suppressed"],
                        )
                        % {
                            "count": measure["suppressed"],
                            "measure": measure["name"],
                            "threshold": _threshold(),
                        },
                        url,
                    )
                )
    if not content["priorities"]:
        found.append(Check("empty", _("The review has no priorities."), compose_url))

    for summary in content["school_summaries"]:
        draft = summaries[summary["urn"]]
        url = reverse("publication_school_edit", args=[slug, year, summary["urn"]])
        if not _plain(summary["found"]).strip() or not _plain(summary["did"]).strip():
            found.append(
                Check(
                    "empty",
                    _("%(school)s’s summary has an empty section.") % {"school": summary["name"]},
                    url,
                )
            )
        if draft.peer_review.status != ReportStatus.SIGNED_OFF:
            found.append(
                Check(
                    "reopened",
                    _(
                        "%(school)s’s report has been reopened: it must be signed off again "
                        "before the review can be published."
                    )
                    % {"school": summary["name"]},
                    url,
                    blocking=True,
                )
            )
        if draft.status != SummaryStatus.APPROVED:
            found.append(
                Check(
                    "unapproved",
                    _("%(school)s’s headteacher has not approved its summary.")
                    % {"school": summary["name"]},
                    url,
                    blocking=True,
                )
            )
    summarised = set(summaries)
    for school in content["schools"]:
        if school["urn"] not in summarised:
            found.append(
                Check(
                    "no_report",
                    _(
                        "%(school)s has no signed-off report in this cycle, so the review says "
                        "nothing about its peer review."
                    )
                    % {"school": school["name"]},
                )
            )
    return found


def _threshold() -> int:
    from priorities import suppression

    return suppression.threshold()


def blocking(found: list[Check]) -> list[Check]:
    return [check for check in found if check.blocking]


def priorities_to_narrate(partnership) -> list[Priority]:
    """The shared priorities a new review speaks about: the active ones, in their order."""
    return list(
        Priority.objects.filter(partnership=partnership, status=Priority.Status.ACTIVE).order_by(
            "active_slot", "order", "pk"
        )
    )
