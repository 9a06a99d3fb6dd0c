"""Suggested review teams: conflict rules never broken, places shared fairly, and whatever
cannot be kept reported in plain English."""

import random
from collections import Counter

import pytest

from reviews.allocation import (
    DECLARED_CONFLICT,
    HOST_SCHOOL,
    REVIEWED_LAST_CYCLE,
    Candidate,
    Problem,
    Team,
    suggest_teams,
    team_problems,
)

SCHOOL_NAMES = [
    "Oakfield Primary School",
    "Riverside Primary School",
    "St Mary's CE Primary School",
    "Hillcrest Academy",
    "Brookside Primary School",
    "Elm Tree Infant School",
    "Northgate Primary School",
    "Castle View Primary School",
    "Meadowbank Primary School",
    "Westfield Junior School",
]
FIRST_NAMES = ["Sam", "Amira", "Tom", "Priya", "Owen", "Grace", "Yusuf", "Chloe", "Dev", "Ruth"]
SURNAMES = ["Patel", "Khan", "Reid", "Jones", "Okafor", "Walsh", "Ahmed", "Evans", "Lee"]


def school_id(index):
    return 10 * (index + 1)


def names_for(count):
    return {
        school_id(i): SCHOOL_NAMES[i] if i < len(SCHOOL_NAMES) else f"Member School {i + 1}"
        for i in range(count)
    }


def person(school_index, number, *, can_lead=True):
    user_id = 100 * (school_index + 1) + number
    name = f"{FIRST_NAMES[user_id % len(FIRST_NAMES)]} {SURNAMES[user_id % len(SURNAMES)]}"
    return Candidate(user_id, school_id(school_index), name, can_lead)


def partnership(count, *, people_per_school=None):
    """``count`` schools with 1-3 candidates each (varied deterministically), the first of
    each school able to lead, and some of the others too."""
    candidates = []
    for i in range(count):
        size = people_per_school or 1 + (2 * i + count) % 3
        for number in range(size):
            candidates.append(person(i, number, can_lead=number == 0 or (i + number) % 3 == 0))
    return [school_id(i) for i in range(count)], candidates


def suggest(
    hosts, candidates, *, declared=(), last_cycle=(), per_team=1, names=None, already_set=()
):
    return suggest_teams(
        host_school_ids=list(hosts),
        candidates=list(candidates),
        declared=set(declared),
        last_cycle=set(last_cycle),
        school_names=names if names is not None else names_for(20),
        reviewers_per_team=per_team,
        teams_already_set=list(already_set),
    )


def assert_valid(suggestion, hosts, candidates, *, declared=(), per_team=1):
    """The rules that may never be broken."""
    by_id = {c.user_id: c for c in candidates}
    team_hosts = [t.host_school_id for t in suggestion.teams]
    assert sorted(team_hosts + suggestion.unassigned_hosts) == sorted(hosts)
    assert len(set(team_hosts)) == len(team_hosts)
    for team in suggestion.teams:
        assert team.lead.can_lead
        assert len(team.reviewers) == per_team
        assert len({m.user_id for m in team.members}) == per_team + 1
        for member in team.members:
            assert by_id[member.user_id] == member
            assert member.school_id != team.host_school_id
            assert (member.user_id, team.host_school_id) not in set(declared)


def school_loads(suggestion, candidates):
    """Places filled by each school that has candidates, zero included."""
    loads = Counter({c.school_id: 0 for c in candidates})
    loads.update(m.school_id for t in suggestion.teams for m in t.members)
    return loads


def person_loads(suggestion, candidates):
    loads = Counter({c.user_id: 0 for c in candidates})
    loads.update(m.user_id for t in suggestion.teams for m in t.members)
    return loads


def member_pairs(suggestion):
    return {(m.user_id, t.host_school_id) for t in suggestion.teams for m in t.members}


# -- team_problems -------------------------------------------------------------------------

OAKFIELD, RIVERSIDE, HILLCREST = 10, 20, 40
NAMES = {OAKFIELD: "Oakfield Primary School", RIVERSIDE: "Riverside Primary School"}
SAM = Candidate(1, OAKFIELD, "Sam Patel", True)
AMIRA = Candidate(2, RIVERSIDE, "Amira Khan", True)
TOM = Candidate(3, HILLCREST, "Tom Reid", False)
PRIYA = Candidate(4, HILLCREST, "Priya Jones", False)


def test_team_problems_block_the_host_school_and_declared_conflicts_and_warn_on_last_cycle():
    problems = team_problems(
        host_school_id=OAKFIELD,
        members=[SAM, AMIRA, TOM, PRIYA],
        declared={(AMIRA.user_id, OAKFIELD), (TOM.user_id, RIVERSIDE)},
        last_cycle={(TOM.user_id, OAKFIELD), (PRIYA.user_id, RIVERSIDE)},
        school_names=NAMES,
    )

    assert problems == [
        Problem(
            1,
            OAKFIELD,
            HOST_SCHOOL,
            True,
            "Sam Patel works at Oakfield Primary School, the school under review.",
        ),
        Problem(
            2,
            OAKFIELD,
            DECLARED_CONFLICT,
            True,
            "Amira Khan has declared a conflict of interest with Oakfield Primary School.",
        ),
        Problem(
            3,
            OAKFIELD,
            REVIEWED_LAST_CYCLE,
            False,
            "Tom Reid reviewed Oakfield Primary School last cycle.",
        ),
    ]


def test_team_problems_lists_every_problem_a_person_has():
    problems = team_problems(
        host_school_id=OAKFIELD,
        members=[SAM],
        declared={(SAM.user_id, OAKFIELD)},
        last_cycle={(SAM.user_id, OAKFIELD)},
        school_names=NAMES,
    )

    assert [(p.kind, p.blocks) for p in problems] == [
        (HOST_SCHOOL, True),
        (DECLARED_CONFLICT, True),
        (REVIEWED_LAST_CYCLE, False),
    ]


def test_team_problems_is_empty_for_a_clean_team_and_names_unknown_schools_by_id():
    assert (
        team_problems(
            host_school_id=OAKFIELD,
            members=[AMIRA, TOM],
            declared=set(),
            last_cycle=set(),
            school_names=NAMES,
        )
        == []
    )
    [problem] = team_problems(
        host_school_id=99, members=[TOM], declared={(3, 99)}, last_cycle=set(), school_names={}
    )
    assert problem.message == "Tom Reid has declared a conflict of interest with School 99."


# -- fair teams for partnerships of every size ---------------------------------------------

SIZES = [
    pytest.param(count, per_team, hosting, id=f"{count}-schools-{per_team}-reviewers-{hosting}")
    for count in range(3, 11)
    for per_team in (1, 2, 3)
    # A team of per_team + 1 from different schools needs that many schools besides the host.
    if per_team + 2 <= count
    for hosting in ("all-host", "one-not-hosting")
]


@pytest.mark.parametrize(("count", "per_team", "hosting"), SIZES)
def test_every_school_is_reviewed_and_reviews_with_the_load_shared_fairly(count, per_team, hosting):
    schools, candidates = partnership(count)
    hosts = schools if hosting == "all-host" else schools[:-1]

    suggestion = suggest(hosts, candidates, per_team=per_team)

    assert_valid(suggestion, hosts, candidates, per_team=per_team)
    assert suggestion.unassigned_hosts == []
    assert suggestion.warnings == []
    assert suggestion.messages == []

    loads = school_loads(suggestion, candidates)
    assert min(loads.values()) >= 1, "every school reviews somewhere"

    people = person_loads(suggestion, candidates)
    places = len(hosts) * (per_team + 1)
    spread = 0 if places % len(candidates) == 0 else 1
    assert max(people.values()) - min(people.values()) <= spread, "places shared evenly"
    assert suggestion.spread.even

    leaders = [c for c in candidates if c.can_lead]
    assert len(leaders) >= len(hosts)
    leads = Counter(t.lead.user_id for t in suggestion.teams)
    assert max(leads.values()) == 1, "nobody leads twice when there are enough leads"
    # Schools differ in size here, so an even spread of people may put two colleagues on a
    # team: that rule gives way to evenness (see the same-school test below for equal sizes).


def test_a_partnership_of_twenty_schools_is_shared_fairly_too():
    schools, candidates = partnership(20, people_per_school=4)

    suggestion = suggest(schools, candidates, per_team=3)

    assert_valid(suggestion, schools, candidates, per_team=3)
    assert set(school_loads(suggestion, candidates).values()) == {4}
    assert set(person_loads(suggestion, candidates).values()) == {1}


def test_members_come_from_the_same_school_only_when_there_is_no_other_way():
    schools, candidates = partnership(3, people_per_school=2)

    suggestion = suggest(schools, candidates, per_team=2)

    assert_valid(suggestion, schools, candidates, per_team=2)
    for team in suggestion.teams:
        # Three places, two other schools: one must send two people, never three.
        assert sorted(Counter(m.school_id for m in team.members).values()) == [1, 2]
    assert set(school_loads(suggestion, candidates).values()) == {3}, "then schools even"
    assert set(person_loads(suggestion, candidates).values()) == {1, 2}


# -- an even spread of people, counting the teams the lead already set -----------------------


def set_by_the_lead(schools, candidates, rng, *, count, per_team):
    """Teams the lead set by hand for the first ``count`` hosts: valid, but not fair (the first
    people free to go, so the same few tend to be chosen)."""
    teams = []
    for host in schools[:count]:
        free = [c for c in candidates if c.school_id != host]
        leaders = [c for c in free if c.can_lead]
        lead = leaders[rng.randrange(min(2, len(leaders)))]
        others = [c for c in free if c != lead][: per_team + 1]
        teams.append(Team(host, lead, tuple(others[:per_team])))
    return teams


def loads_with(already_set, suggestion, people):
    """Places each person holds once the suggestion is accepted, teams already set included."""
    loads = Counter({c.user_id: 0 for c in people})
    for team in [*already_set, *suggestion.teams]:
        loads.update(m.user_id for m in team.members if m.user_id in loads)
    return loads


def placeable(suggestion, candidates, declared):
    """The people free to take a place on at least one of the suggested teams."""
    return [
        c
        for c in candidates
        if any(
            c.school_id != t.host_school_id and (c.user_id, t.host_school_id) not in declared
            for t in suggestion.teams
        )
    ]


def assert_no_place_could_move_to_someone_less_busy(
    suggestion, already_set, candidates, declared, last_cycle
):
    """Evenness, as a property: no suggested place could pass from someone to a person with
    two places fewer who is free to take it, without breaking an earlier rule (a conflict of
    interest, a repeat of last cycle, someone leading a second review)."""
    everyone = {c.user_id: c for c in candidates}
    loads = loads_with(already_set, suggestion, candidates)
    leads = Counter(t.lead.user_id for t in [*already_set, *suggestion.teams])
    for team in suggestion.teams:
        host = team.host_school_id
        on_team = {m.user_id for m in team.members}
        for member in team.members:
            is_lead = member == team.lead
            for other in everyone.values():
                could_take = (
                    other.user_id not in on_team
                    and other.school_id != host
                    and (other.user_id, host) not in declared
                    and (
                        (other.user_id, host) not in last_cycle
                        or (member.user_id, host) in last_cycle
                    )
                    and (
                        not is_lead
                        or (other.can_lead and leads[other.user_id] < leads[member.user_id])
                    )
                )
                assert not (could_take and loads[other.user_id] <= loads[member.user_id] - 2), (
                    f"{member.name} ({loads[member.user_id]} places) could give their place on "
                    f"{host}'s team to {other.name} ({loads[other.user_id]})"
                )


EVENNESS = [
    pytest.param(count, per_team, seed, id=f"{count}-schools-{per_team}-reviewers-seed-{seed}")
    for count in range(3, 11)
    for per_team in (1, 2)
    if per_team + 2 <= count
    for seed in (1, 2)
]


@pytest.mark.parametrize(("count", "per_team", "seed"), EVENNESS)
def test_places_are_spread_evenly_across_people_counting_the_teams_already_set(
    count, per_team, seed
):
    rng = random.Random(count * 100 + per_team * 10 + seed)
    schools, candidates = partnership(count)
    already_set = set_by_the_lead(
        schools, candidates, rng, count=rng.randint(1, count // 2), per_team=per_team
    )
    set_hosts = {t.host_school_id for t in already_set}
    open_hosts = [s for s in schools if s not in set_hosts]
    # A light sprinkling of declared conflicts, never with a team already set.
    declared = {
        (c.user_id, h)
        for c in candidates
        for h in open_hosts
        if h != c.school_id and rng.random() < 0.1
    }

    suggestion = suggest(
        open_hosts, candidates, declared=declared, per_team=per_team, already_set=already_set
    )

    assert_valid(suggestion, open_hosts, candidates, declared=declared, per_team=per_team)
    assert suggestion.unassigned_hosts == []
    assert {t.host_school_id for t in suggestion.teams}.isdisjoint(set_hosts)
    assert_no_place_could_move_to_someone_less_busy(
        suggestion, already_set, candidates, declared, last_cycle=set()
    )
    loads = loads_with(already_set, suggestion, placeable(suggestion, candidates, declared))
    fewest, most = min(loads.values()), max(loads.values())
    assert (suggestion.spread.fewest, suggestion.spread.most) == (fewest, most)
    claims_uneven = [m for m in suggestion.messages if "not spread evenly" in m]
    assert suggestion.spread.even == (most - fewest <= 1) == (not claims_uneven)


@pytest.mark.parametrize("count", range(3, 11))
def test_with_no_conflicts_the_busiest_and_quietest_differ_by_at_most_one(count):
    """The lead already gave one person two places: the suggestion evens the rest around them."""
    schools, candidates = partnership(count, people_per_school=2)
    staff = {s: [c for c in candidates if c.school_id == s] for s in schools}
    busy = staff[schools[2]][0]
    already_set = [
        Team(schools[0], busy, (staff[schools[1]][0], staff[schools[1]][1])),
        Team(schools[1], busy, (staff[schools[0]][0], staff[schools[2]][1])),
    ]

    suggestion = suggest(schools[2:], candidates, per_team=2, already_set=already_set)

    assert_valid(suggestion, schools[2:], candidates, per_team=2)
    loads = loads_with(already_set, suggestion, candidates)
    assert max(loads.values()) - min(loads.values()) <= 1, loads
    assert loads[busy.user_id] == 2, "nothing more for someone the lead already gave two places"
    assert suggestion.spread.even
    assert not [m for m in suggestion.messages if "evenly" in m]


def test_when_conflicts_make_an_even_spread_impossible_the_lead_is_told_so():
    """Hillcrest's team can only be Oakfield's and Riverside's heads, and with nobody leading
    twice one of them, or Hillcrest's head, must also lead another review: someone holds two
    places, so one of Hillcrest's three peer reviewers (who cannot lead) holds none."""
    oak_head = Candidate(1, OAKFIELD, "Sam Patel", True)
    river_head = Candidate(2, RIVERSIDE, "Amira Khan", True)
    hill_head = Candidate(3, HILLCREST, "Tom Reid", True)
    peers = [
        Candidate(4 + i, HILLCREST, name, False)
        for i, name in enumerate(["Priya Jones", "Owen Okafor", "Grace Walsh"])
    ]
    people = [oak_head, river_head, hill_head, *peers]
    names = {
        OAKFIELD: "Oakfield Primary School",
        RIVERSIDE: "Riverside Primary School",
        HILLCREST: "Hillcrest Academy",
    }

    suggestion = suggest([OAKFIELD, RIVERSIDE, HILLCREST], people, names=names)

    assert_valid(suggestion, [OAKFIELD, RIVERSIDE, HILLCREST], people)
    assert_no_place_could_move_to_someone_less_busy(suggestion, [], people, set(), set())
    loads = person_loads(suggestion, people)
    assert max(loads.values()) - min(loads.values()) == 2
    assert not suggestion.spread.even
    assert (suggestion.spread.fewest, suggestion.spread.most) == (0, 2)
    uneven = [m for m in suggestion.messages if m.startswith("The places are not spread evenly")]
    assert len(uneven) == 1
    assert "has 2 places and" in uneven[0]
    assert "0 places" in uneven[0]
    assert "allow no fairer arrangement" in uneven[0]


def test_a_person_the_lead_already_placed_on_three_teams_gets_nothing_more_and_it_is_said():
    schools, candidates = partnership(6, people_per_school=1)
    busy = next(c for c in candidates if c.school_id == schools[5])
    others = [c for c in candidates if c.school_id not in (schools[5],)]
    already_set = [
        Team(schools[i], busy, (next(c for c in others if c.school_id != schools[i]),))
        for i in range(3)
    ]

    suggestion = suggest(schools[3:], candidates, already_set=already_set)

    assert_valid(suggestion, schools[3:], candidates)
    loads = loads_with(already_set, suggestion, candidates)
    assert loads[busy.user_id] == 3
    assert not suggestion.spread.even
    assert any(
        m.startswith("The places are not spread evenly") and "teams already set" in m
        for m in suggestion.messages
    )


# -- conflicts of interest ------------------------------------------------------------------


def test_declared_conflicts_are_respected_even_when_most_pairs_are_conflicted():
    """Each person may review only the next two schools round the partnership."""
    count = 8
    schools, candidates = partnership(count, people_per_school=2)
    index = {s: i for i, s in enumerate(schools)}
    allowed = {
        (c.user_id, schools[(index[c.school_id] + step) % count])
        for c in candidates
        for step in (1, 2)
    }
    declared = {(c.user_id, h) for c in candidates for h in schools} - allowed

    suggestion = suggest(schools, candidates, declared=declared)

    assert_valid(suggestion, schools, candidates, declared=declared)
    assert suggestion.unassigned_hosts == []
    assert member_pairs(suggestion) <= allowed
    assert set(school_loads(suggestion, candidates).values()) == {2}
    for team in suggestion.teams:
        i = index[team.host_school_id]
        assert {m.school_id for m in team.members} == {schools[i - 1], schools[i - 2]}


@pytest.mark.parametrize("seed", range(6))
def test_a_random_dense_conflict_matrix_allocates_every_host_that_can_have_a_team(seed):
    rng = random.Random(seed)
    count = 6 + seed % 5
    per_team = 1 + seed % 2
    schools, candidates = partnership(count)
    declared = {(c.user_id, h) for c in candidates for h in schools if rng.random() < 0.6}

    suggestion = suggest(schools, candidates, declared=declared, per_team=per_team)

    assert_valid(suggestion, schools, candidates, declared=declared, per_team=per_team)
    possible = set()
    for host in schools:
        free = [c for c in candidates if c.school_id != host and (c.user_id, host) not in declared]
        if len(free) > per_team and any(c.can_lead for c in free):
            possible.add(host)
    assert {t.host_school_id for t in suggestion.teams} == possible
    assert set(suggestion.unassigned_hosts) == set(schools) - possible
    assert len(suggestion.messages) >= len(suggestion.unassigned_hosts)


@pytest.mark.parametrize(
    ("who_declared", "expected"),
    [
        pytest.param(
            lambda c: True,
            "No team can be suggested for Hillcrest Academy: everyone from the other schools "
            "has declared a conflict of interest with it.",
            id="everyone-declared",
        ),
        pytest.param(
            lambda c: c.can_lead,
            "No team can be suggested for Hillcrest Academy: none of the 2 people free of a "
            "conflict of interest with it can lead a review.",
            id="no-free-lead",
        ),
    ],
)
def test_a_host_with_no_possible_team_is_reported_and_the_rest_are_allocated(
    who_declared, expected
):
    schools, candidates = partnership(4, people_per_school=2)
    hillcrest = schools[3]
    declared = {(c.user_id, hillcrest) for c in candidates if who_declared(c)}

    suggestion = suggest(schools, candidates, declared=declared)

    assert suggestion.unassigned_hosts == [hillcrest]
    assert expected in suggestion.messages
    assert_valid(suggestion, schools, candidates, declared=declared)
    assert sorted(t.host_school_id for t in suggestion.teams) == schools[:3]
    assert min(school_loads(suggestion, candidates).values()) >= 1


def test_a_school_whose_people_all_have_conflicts_is_named_in_the_messages():
    schools, candidates = partnership(4)
    brookside = Candidate(999, 50, "Ruth Evans", True)
    declared = {(999, host) for host in schools}

    suggestion = suggest(schools, [*candidates, brookside], declared=declared)

    assert person_loads(suggestion, [*candidates, brookside])[999] == 0
    assert_valid(suggestion, schools, [*candidates, brookside], declared=declared)
    assert (
        "Nobody from Brookside Primary School sits on a review team: each of its people has a "
        "conflict of interest with every school being reviewed." in suggestion.messages
    )


def test_a_host_with_no_candidates_of_its_own_is_reviewed_and_the_lead_is_told():
    schools, candidates = partnership(4)
    oakfield = schools[0]
    others = [c for c in candidates if c.school_id != oakfield]

    suggestion = suggest(schools, others)

    assert_valid(suggestion, schools, others)
    assert suggestion.unassigned_hosts == []
    assert suggestion.messages == [
        "Oakfield Primary School has no one who can review, so it does not review another "
        "school this cycle."
    ]


# -- reviewed last cycle ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [4, 6, 9])
def test_nobody_reviews_the_same_school_two_cycles_running_when_it_can_be_avoided(count):
    schools, candidates = partnership(count)
    last_cycle = member_pairs(suggest(schools, candidates))

    suggestion = suggest(schools, candidates, last_cycle=last_cycle)

    assert_valid(suggestion, schools, candidates)
    assert member_pairs(suggestion).isdisjoint(last_cycle)
    assert suggestion.warnings == []


def test_an_unavoidable_repeat_from_last_cycle_is_kept_and_reported():
    """Three one-person schools: each host's team must be the other two people."""
    schools, candidates = partnership(3, people_per_school=1)
    oakfield, riverside, _ = schools
    sam = next(c for c in candidates if c.school_id == riverside)
    last_cycle = {(sam.user_id, oakfield)}

    suggestion = suggest(schools, candidates, last_cycle=last_cycle)

    assert_valid(suggestion, schools, candidates)
    assert suggestion.warnings == [
        Problem(
            sam.user_id,
            oakfield,
            REVIEWED_LAST_CYCLE,
            False,
            f"{sam.name} reviewed Oakfield Primary School last cycle.",
        )
    ]
    assert any(
        m.startswith(f"{sam.name} reviewed Oakfield Primary School last cycle")
        for m in suggestion.messages
    )


def test_a_school_still_reviews_when_its_only_reviewer_reviewed_every_host_last_cycle():
    schools, candidates = partnership(4)
    ruth = Candidate(999, 50, "Ruth Evans", False)
    last_cycle = {(ruth.user_id, host) for host in schools}

    suggestion = suggest(schools, [*candidates, ruth], last_cycle=last_cycle)

    assert_valid(suggestion, schools, [*candidates, ruth])
    [warning] = suggestion.warnings
    assert warning.user_id == ruth.user_id
    assert warning.message.startswith("Ruth Evans reviewed ")
    assert person_loads(suggestion, [ruth])[ruth.user_id] == 1


def test_a_repeat_is_avoided_for_some_hosts_even_when_unavoidable_for_one():
    schools, candidates = partnership(5, people_per_school=2)
    oakfield = schools[0]
    # Only two people are free to review Oakfield, and both reviewed it last cycle.
    declared = {(c.user_id, oakfield) for c in candidates if c.school_id not in schools[1:2]}
    last_cycle = {(c.user_id, oakfield) for c in candidates} | {
        (c.user_id, h) for c in candidates for h in schools[1:] if c.user_id % 2
    }

    suggestion = suggest(schools, candidates, declared=declared, last_cycle=last_cycle)

    assert_valid(suggestion, schools, candidates, declared=declared)
    assert {(w.user_id, w.host_school_id) for w in suggestion.warnings} == {
        (c.user_id, oakfield) for c in candidates if c.school_id == schools[1]
    }
    assert all(w.kind == REVIEWED_LAST_CYCLE and not w.blocks for w in suggestion.warnings)


# -- leads -----------------------------------------------------------------------------------


def test_when_leads_are_scarce_they_share_the_extra_reviews_and_it_is_explained():
    schools, candidates = partnership(4, people_per_school=2)
    candidates = [
        Candidate(c.user_id, c.school_id, c.name, c.can_lead and c.school_id in schools[:2])
        for c in candidates
    ]
    leaders = [c for c in candidates if c.can_lead]
    assert len(leaders) == 2

    suggestion = suggest(schools, candidates)

    assert_valid(suggestion, schools, candidates)
    assert Counter(t.lead.user_id for t in suggestion.teams) == {c.user_id: 2 for c in leaders}
    for leader in leaders:
        assert (
            f"{leader.name} leads 2 reviews: there are not enough lead reviewers free of a "
            "conflict of interest for each review to have its own." in suggestion.messages
        )


# -- determinism and input checks ----------------------------------------------------------


def test_the_same_partnership_always_gets_the_same_suggestion():
    rng = random.Random(7)
    schools, candidates = partnership(7)
    declared = {(c.user_id, h) for c in candidates for h in schools if rng.random() < 0.2}
    last_cycle = {(c.user_id, h) for c in candidates for h in schools if rng.random() < 0.2}

    first = suggest(schools, candidates, declared=declared, last_cycle=last_cycle, per_team=2)
    again = suggest(schools, candidates, declared=declared, last_cycle=last_cycle, per_team=2)
    shuffled = suggest(
        reversed(schools),
        sorted(candidates, key=lambda c: -c.user_id),
        declared=sorted(declared, reverse=True),
        last_cycle=sorted(last_cycle, reverse=True),
        per_team=2,
    )

    assert first == again == shuffled
    assert [t.host_school_id for t in first.teams] == sorted(t.host_school_id for t in first.teams)


@pytest.mark.parametrize("per_team", [0, 4])
def test_a_team_has_one_to_three_reviewers_besides_the_lead(per_team):
    schools, candidates = partnership(5)
    with pytest.raises(ValueError, match="1 to 3 reviewers"):
        suggest(schools, candidates, per_team=per_team)


def test_a_candidate_listed_twice_is_refused():
    schools, candidates = partnership(3)
    with pytest.raises(ValueError, match="only once"):
        suggest(schools, [*candidates, candidates[0]])
