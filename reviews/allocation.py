"""Suggest fair review teams for a peer-review cycle, respecting conflicts of interest.

Pure Python: no database and no Django models. A service passes in plain values (ids, names,
conflict pairs), shows the suggestion to the partnership lead, and saves only what the lead
accepts. The same input always gives the same output.

Values
------
``Candidate(user_id, school_id, name, can_lead)``
    A person who may sit on review teams. ``school_id`` is the member school they work at;
    ``can_lead`` is true for headteachers and trained lead reviewers.
``Team(host_school_id, lead, reviewers)``
    The team for one host school: a lead reviewer and 1-3 further reviewers.
``Problem(user_id, host_school_id, kind, blocks, message)``
    Why a person may not (``blocks``) or should not be on a host's team. ``kind`` is one of
    ``HOST_SCHOOL`` ("host_school": they work at the school under review, blocks),
    ``DECLARED_CONFLICT`` ("declared_conflict": former employer, relative on the staff, same
    trust..., blocks) or ``REVIEWED_LAST_CYCLE`` ("reviewed_last_cycle": warns).
``Suggestion(teams, unassigned_hosts, warnings, messages, spread)``
    The suggested teams (ordered by host id), the hosts no valid team exists for, the
    last-cycle warnings that could not be avoided, plain-English notes for the lead, and the
    ``Spread`` of places it leaves.
``Spread(fewest, most, people)``
    The fewest and the most places anyone who could be given one holds in the cycle once the
    suggestion is accepted, counting the teams already set; ``even`` when they differ by at
    most one.

Functions
---------
``team_problems(*, host_school_id, members, declared, last_cycle, school_names)``
    Every problem with putting ``members`` on the host's team, in member order. Used to check a
    team the lead has edited by hand, and by ``suggest_teams`` to report its warnings.
``suggest_teams(*, host_school_ids, candidates, declared, last_cycle, school_names,
reviewers_per_team=1, teams_already_set=())``
    A suggested team for every host that can have one. ``host_school_ids`` are the reviews
    still to be given a team; ``teams_already_set`` are the cycle's other teams, which stay as
    they are but count towards each person's and each school's places.

``declared`` and ``last_cycle`` are sets of ``(user_id, host_school_id)`` pairs: a conflict
the person declared with that school, and "this person reviewed this school last cycle".

Rules kept by ``suggest_teams``
-------------------------------
Never broken: each team has a lead who can lead and exactly ``reviewers_per_team`` other
reviewers, all different people, none working at the host school, none with a declared
conflict with it. A host with no such team goes in ``unassigned_hosts`` with a message saying
why, and every other host is still allocated.

Then, in this order of priority (an earlier rule is never traded for a later one):

1. every school with candidates reviews: someone from it sits on another school's team;
2. nobody is put on the team of a school they reviewed last cycle (any that cannot be avoided
   are returned as ``warnings``);
3. nobody leads more than one review;
4. the places each person holds, leading and reviewing together and counting the teams
   already set, are spread as evenly as the conflicts allow (the sum of the squares of the
   people's places is as small as it can be), so the busiest and least busy people differ by
   at most one place whenever any arrangement allows it;
5. the places each school fills are spread as evenly as that allows;
6. a team draws its members from different schools.

How
---
A minimum-cost flow sends places on teams from schools, through their people, to the hosts.
Each rule above is a cost, weighted so that no amount of a later rule outweighs an earlier one,
and costs that rise with each extra place a school or person takes make the flow spread places
evenly. A flow cannot stop a lead from also filling a reviewer place on their own team, so a
small best-first branch-and-bound over the choice of leads turns the flow's answer into a valid
allocation, normally proving it the cheapest; in a heavily conflicted partnership the search
stops after a bounded amount of work with the best valid allocation it found. Ties break by
id, so the same input always gives the same teams.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

HOST_SCHOOL = "host_school"
DECLARED_CONFLICT = "declared_conflict"
REVIEWED_LAST_CYCLE = "reviewed_last_cycle"

MIN_REVIEWERS_PER_TEAM = 1
MAX_REVIEWERS_PER_TEAM = 3


@dataclass(frozen=True)
class Candidate:
    user_id: int
    school_id: int
    name: str
    can_lead: bool


@dataclass(frozen=True)
class Team:
    host_school_id: int
    lead: Candidate
    reviewers: tuple[Candidate, ...]

    @property
    def members(self) -> tuple[Candidate, ...]:
        """The lead first, then the other reviewers."""
        return (self.lead, *self.reviewers)


@dataclass(frozen=True)
class Problem:
    user_id: int
    host_school_id: int
    kind: str
    blocks: bool
    message: str


@dataclass(frozen=True)
class Spread:
    fewest: int
    most: int
    people: int  # how many people it is measured over

    @property
    def even(self) -> bool:
        return self.most - self.fewest <= 1


@dataclass
class Suggestion:
    teams: list[Team] = field(default_factory=list)
    unassigned_hosts: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    spread: Spread | None = None  # None when no team is suggested

    def team_for(self, host_school_id: int) -> Team | None:
        return next((t for t in self.teams if t.host_school_id == host_school_id), None)


def school_name(school_names: dict[int, str], school_id: int) -> str:
    return school_names.get(school_id) or f"School {school_id}"


def team_problems(
    *,
    host_school_id: int,
    members: Iterable[Candidate],
    declared: set[tuple[int, int]],
    last_cycle: set[tuple[int, int]],
    school_names: dict[int, str],
) -> list[Problem]:
    """Every reason a member may not, or should not, be on the host's team, in member order."""
    host = school_name(school_names, host_school_id)
    problems = []
    for person in members:
        pair = (person.user_id, host_school_id)
        found = []
        if person.school_id == host_school_id:
            found.append((HOST_SCHOOL, True, f"works at {host}, the school under review"))
        if pair in declared:
            found.append(
                (DECLARED_CONFLICT, True, f"has declared a conflict of interest with {host}")
            )
        if pair in last_cycle:
            found.append((REVIEWED_LAST_CYCLE, False, f"reviewed {host} last cycle"))
        problems += [
            Problem(person.user_id, host_school_id, kind, blocks, f"{person.name} {what}.")
            for kind, blocks, what in found
        ]
    return problems


def suggest_teams(
    *,
    host_school_ids: list[int],
    candidates: list[Candidate],
    declared: set[tuple[int, int]],
    last_cycle: set[tuple[int, int]],
    school_names: dict[int, str],
    reviewers_per_team: int = 1,
    teams_already_set: Iterable[Team] = (),
) -> Suggestion:
    """Suggest a team for every host that can have one; see the module docstring for the rules."""
    if not MIN_REVIEWERS_PER_TEAM <= reviewers_per_team <= MAX_REVIEWERS_PER_TEAM:
        raise ValueError(
            f"A team has {MIN_REVIEWERS_PER_TEAM} to {MAX_REVIEWERS_PER_TEAM} reviewers "
            f"besides the lead, not {reviewers_per_team}."
        )
    people = sorted(candidates, key=lambda c: c.user_id)
    if len({c.user_id for c in people}) != len(people):
        raise ValueError("Each candidate may appear only once.")
    already_set = sorted(teams_already_set, key=lambda t: t.host_school_id)
    set_hosts = {t.host_school_id for t in already_set}
    hosts = sorted(set(host_school_ids) - set_hosts)
    team_size = reviewers_per_team + 1
    held = _Held.count(already_set)

    def eligible(person: Candidate, host: int) -> bool:
        return person.school_id != host and (person.user_id, host) not in declared

    suggestion = Suggestion()
    eligible_for: dict[int, list[Candidate]] = {}
    for host in hosts:
        free = [c for c in people if eligible(c, host)]
        reason = _why_no_team(free, team_size, people, host)
        if reason:
            suggestion.unassigned_hosts.append(host)
            suggestion.messages.append(
                f"No team can be suggested for {school_name(school_names, host)}: {reason}."
            )
        else:
            eligible_for[host] = free
    allocated = list(eligible_for)

    plan = _best_plan(allocated, eligible_for, last_cycle, reviewers_per_team, held)
    leads, reviewers = plan.leads, plan.reviewers
    for host in allocated:
        team = Team(host, leads[host], tuple(sorted(reviewers[host], key=lambda c: c.user_id)))
        suggestion.teams.append(team)
        for problem in team_problems(
            host_school_id=host,
            members=team.members,
            declared=declared,
            last_cycle=last_cycle,
            school_names=school_names,
        ):
            if problem.blocks:  # cannot happen: only people free of conflicts were offered
                raise AssertionError(problem.message)
            suggestion.warnings.append(problem)
            suggestion.messages.append(
                f"{problem.message[:-1]}, but no fair arrangement keeps them off its team."
            )

    lead_counts = Counter(held.leads)
    lead_counts.update(leads[host].user_id for host in allocated)
    for person in people:
        if lead_counts[person.user_id] > 1 and any(leads[host] == person for host in allocated):
            suggestion.messages.append(
                f"{person.name} leads {lead_counts[person.user_id]} reviews: there are not "
                "enough lead reviewers free of a conflict of interest for each review to have "
                "its own."
            )

    if allocated:
        suggestion.spread = _spread_message(suggestion, people, eligible_for, held, plan.proven)

    reviewing = {member.school_id for team in suggestion.teams for member in team.members}
    reviewing |= set(held.schools)
    for school in sorted({c.school_id for c in people} - reviewing):
        label = school_name(school_names, school)
        if any(eligible(c, h) for c in people if c.school_id == school for h in allocated):
            why = "every place it could take is needed elsewhere"
        else:
            why = "each of its people has a conflict of interest with every school being reviewed"
        suggestion.messages.append(f"Nobody from {label} sits on a review team: {why}.")
    for host in hosts:
        if not any(c.school_id == host for c in people):
            suggestion.messages.append(
                f"{school_name(school_names, host)} has no one who can review, so it does not "
                "review another school this cycle."
            )
    return suggestion


@dataclass
class _Held:
    """Places already held in the cycle, on the teams the lead set: by person, by school, and
    the reviews each person leads."""

    places: Counter
    schools: Counter
    leads: Counter

    @classmethod
    def count(cls, teams: Iterable[Team]) -> _Held:
        held = cls(Counter(), Counter(), Counter())
        for team in teams:
            held.leads[team.lead.user_id] += 1
            for member in team.members:
                held.places[member.user_id] += 1
                held.schools[member.school_id] += 1
        return held

    @property
    def total(self) -> int:
        return sum(self.places.values())


def _spread_message(
    suggestion: Suggestion, people, eligible_for, held: _Held, proven: bool
) -> Spread:
    """The spread of places among the people the suggestion could place, with a note for the
    lead when it is not even."""
    placeable = {c for free in eligible_for.values() for c in free}
    places = Counter({c.user_id: held.places[c.user_id] for c in placeable})
    places.update(m.user_id for team in suggestion.teams for m in team.members)
    spread = Spread(min(places.values()), max(places.values()), len(places))
    if not spread.even:
        by_id = {c.user_id: c for c in people}
        busiest = [by_id[u].name for u in sorted(places) if places[u] == spread.most]
        quietest = [by_id[u].name for u in sorted(places) if places[u] == spread.fewest]
        because = (
            "conflicts of interest, who can lead a review and the teams already set"
            if held.total
            else "conflicts of interest and who can lead a review"
        )
        why = (
            f"{because} allow no fairer arrangement"
            if proven
            else f"no fairer arrangement was found within {because}"
        )
        suggestion.messages.append(
            f"The places are not spread evenly: {_names(busiest)} {_places(spread.most)} "
            f"and {_names(quietest)} {_places(spread.fewest)}; {why}."
        )
    return spread


def _names(names: list[str]) -> str:
    if len(names) > 3:
        names = [*names[:2], f"{len(names) - 2} others"]
    if len(names) == 1:
        return f"{names[0]} has"
    return f"{', '.join(names[:-1])} and {names[-1]} have"


def _places(count: int) -> str:
    return "1 place" if count == 1 else f"{count} places"


def _why_no_team(free: list[Candidate], team_size: int, people: list[Candidate], host: int):
    """Why no valid team exists for a host, or None when one does."""
    others = [c for c in people if c.school_id != host]
    if not others:
        return "no one from another school is available to review it"
    if not free:
        return "everyone from the other schools has declared a conflict of interest with it"
    if not any(c.can_lead for c in free):
        return (
            f"none of the {len(free)} people free of a conflict of interest with it "
            "can lead a review"
        )
    if len(free) < team_size:
        return (
            f"only {len(free)} people from other schools are free of a conflict of interest "
            f"with it, and a team needs {team_size}"
        )
    return None


class _Weights:
    """Costs for each rule, far enough apart that no amount of a later rule outweighs an earlier.

    A rule's cost is a count (of places, or of extra places) times its weight. No count reaches
    ``base``, so a weight of ``base**k`` outweighs every rule weighted ``base**(k-1)`` or less.
    """

    def __init__(self, places: int):
        base = places * places + 1
        self.every_school_reviews = base**5
        self.not_last_cycle = base**4
        self.lead_once = base**3
        self.spread_across_people = base**2
        self.spread_across_schools = base
        self.different_schools = 1


# How much searching for the best leads is allowed before settling for the best found:
# the number of flows solved times the number of hosts (a flow's size grows with the hosts).
_SEARCH_BUDGET = 400


def _best_plan(hosts, eligible_for, last_cycle, per_team, held: _Held) -> _Plan:
    """The cheapest allocation, found by a small best-first branch-and-bound over the leads.

    ``_allocate`` chooses leads and reviewers together, but it can only approximate the rules
    for a lead whose choice is left open (they might also fill a reviewer place on the team,
    and their school is not counted among the team's schools), so its cost is a lower bound.
    Fixing all the leads it chose gives a real allocation. Where the two differ, the search
    branches on a host whose lead caused the difference: keep that lead fixed, or rule them
    out for that host. Branches are explored cheapest bound first; once no bound is below the
    best real allocation, that allocation is the cheapest there is.
    """
    solved = 0

    def allocate(fixed, banned=frozenset()):
        nonlocal solved
        solved += 1
        return _allocate(hosts, eligible_for, last_cycle, per_team, held, fixed, banned)

    best = None
    root = allocate({})
    branches = [(root.cost, 0, {}, frozenset(), root)]  # bound, order, fixed, ruled out, plan
    while branches and (best is None or solved * len(hosts) < _SEARCH_BUDGET):
        bound, _, fixed, banned, relaxed = heapq.heappop(branches)
        if best is not None and bound >= best.cost:
            branches.clear()
            break
        real = allocate(relaxed.leads)
        if best is None or real.cost < best.cost:
            best = real
        host = relaxed.overlap(hosts, fixed)
        if real.cost == relaxed.cost or host is None:
            continue  # nothing in this branch beats it
        lead = relaxed.leads[host]
        for child_fixed, child_banned in (
            ({**fixed, host: lead}, banned),
            (fixed, banned | {(lead.user_id, host)}),
        ):
            plan = allocate(child_fixed, child_banned)
            if plan.complete and plan.cost < best.cost:
                heapq.heappush(branches, (plan.cost, solved, child_fixed, child_banned, plan))
    # Every branch left could still hold a cheaper allocation when the budget ran out.
    best.proven = not any(bound < best.cost for bound, *_ in branches)
    return best


@dataclass
class _Plan:
    leads: dict[int, Candidate]
    reviewers: dict[int, list[Candidate]]
    cost: int
    complete: bool  # every host has its lead and all its reviewers
    proven: bool = True  # no cheaper allocation exists (set by the search)

    def overlap(self, hosts: list[int], fixed: dict[int, Candidate]) -> int | None:
        """The first host, not in ``fixed``, whose lead also fills a reviewer place on the team;
        failing that, the first whose lead is from the same school as one of its reviewers."""
        open_hosts = [h for h in hosts if h not in fixed]
        for host in open_hosts:
            if self.leads[host] in self.reviewers[host]:
                return host
        for host in open_hosts:
            if any(r.school_id == self.leads[host].school_id for r in self.reviewers[host]):
                return host
        return None


def _allocate(
    hosts: list[int],
    eligible_for: dict[int, list[Candidate]],
    last_cycle: set[tuple[int, int]],
    per_team: int,
    held: _Held,
    fixed: dict[int, Candidate],
    banned: frozenset[tuple[int, int]] = frozenset(),
) -> _Plan:
    """Leads and reviewers for every host, as a minimum-cost flow from schools to hosts.

    Units of flow are places on teams: source -> school -> person -> host -> sink, a lead's
    place passing through a "leads" node of their own. Costs that rise with each place a school
    or person takes (or each review a person leads), counting the places already ``held`` on
    the teams the lead set, spread the places evenly. A host whose lead
    is in ``fixed`` gets that lead and the rules hold exactly; for any other host the lead is
    chosen by the flow among people not ``banned`` from leading it, who might then also fill
    one of its reviewer places, and whose school is not counted among the team's schools.
    """
    places = len(hosts) * (per_team + 1)
    weights = _Weights(places=places + held.total)
    flow = _MinCostFlow()
    lead_options: dict[Candidate, list[int]] = defaultdict(list)
    review_options: dict[Candidate, list[int]] = defaultdict(list)
    for host in hosts:
        for person in eligible_for[host]:
            if host in fixed:
                may_lead = person == fixed[host]
            else:
                may_lead = person.can_lead and (person.user_id, host) not in banned
            if may_lead:
                lead_options[person].append(host)
            if fixed.get(host) != person:
                review_options[person].append(host)
    people = sorted(set(lead_options) | set(review_options), key=lambda c: c.user_id)

    def cost(person: Candidate, host: int) -> int:
        return weights.not_last_cycle if (person.user_id, host) in last_cycle else 0

    def school_step(load: int) -> int:
        if load == 1:
            return 0  # the school's first place: now it reviews
        return weights.every_school_reviews + (load - 1) * weights.spread_across_schools

    for school in sorted({c.school_id for c in people}):
        flow.add_edge(
            "source", ("school", school), _rising(places, school_step, start=held.schools[school])
        )
    lead_edges, review_edges = {}, {}
    for person in people:
        most = len(lead_options[person]) + len(review_options[person])
        school, me, leads = ("school", person.school_id), ("person", person), ("leads", person)
        already = held.places[person.user_id]
        flow.add_edge(school, me, _rising(most, weights.spread_across_people, start=already))
        already = held.leads[person.user_id]
        flow.add_edge(me, leads, _rising(len(lead_options[person]), weights.lead_once, already))
        for host in lead_options[person]:
            lead_edges[person, host] = flow.add_edge(leads, ("lead of", host), [cost(person, host)])
        for host in review_options[person]:
            review_edges[person, host] = flow.add_edge(
                me, ("from", person.school_id, host), [cost(person, host)]
            )
    for host in hosts:
        for school in sorted({c.school_id for c in eligible_for[host]}):
            lead = fixed.get(host)
            already = int(lead is not None and lead.school_id == school)
            flow.add_edge(
                ("from", school, host),
                ("reviewers of", host),
                _rising(per_team, weights.different_schools, start=already),
            )
        flow.add_edge(("reviewers of", host), "sink", [0] * per_team)
        flow.add_edge(("lead of", host), "sink", [0])
    sent, total_cost = flow.run("source", "sink")

    chosen_leads = {host: person for (person, host), e in lead_edges.items() if flow.used(e)}
    reviewers = {host: [] for host in hosts}
    for (person, host), edge in review_edges.items():
        if flow.used(edge):
            reviewers[host].append(person)
    return _Plan(chosen_leads, reviewers, total_cost, complete=sent == places)


def _rising(count: int, step, start: int = 0) -> list[int]:
    """The costs of places ``start + 1 .. start + count``: ``step(place)``, or, when ``step`` is
    a number, ``step`` times the places already taken."""
    if isinstance(step, int):
        weight = step
        step = lambda place: (place - 1) * weight  # noqa: E731
    return [step(place) for place in range(start + 1, start + count + 1)]


class _MinCostFlow:
    """Minimum-cost flow by successive shortest paths (Dijkstra with potentials).

    Nodes are named by any hashable key. An edge carries one unit of flow per entry in its list
    of costs, the n-th unit costing ``costs[n - 1]``; costs must be non-negative and must not
    decrease, which lets one edge stand for a cost that rises with each place taken. Nodes and
    edges are visited in the order they were added, so ties always break the same way.
    """

    def __init__(self):
        self._node_index: dict[Hashable, int] = {}
        self._arcs: list[list[tuple[int, bool]]] = []  # node -> (edge, forward?) leaving it
        self._tail: list[int] = []
        self._head: list[int] = []
        self._costs: list[list[int]] = []
        self._used: list[int] = []

    def _node(self, key: Hashable) -> int:
        if key not in self._node_index:
            self._node_index[key] = len(self._arcs)
            self._arcs.append([])
        return self._node_index[key]

    def add_edge(self, tail: Hashable, head: Hashable, costs: list[int]) -> int:
        u, v = self._node(tail), self._node(head)
        edge = len(self._costs)
        self._tail.append(u)
        self._head.append(v)
        self._costs.append(costs)
        self._used.append(0)
        self._arcs[u].append((edge, True))
        self._arcs[v].append((edge, False))
        return edge

    def used(self, edge: int) -> int:
        return self._used[edge]

    def run(self, source: Hashable, sink: Hashable) -> tuple[int, int]:
        """Send as much flow as possible from source to sink, as cheaply as possible.

        Returns the units of flow sent and their total cost.
        """
        s, t = self._node(source), self._node(sink)
        potential = [0] * len(self._arcs)
        sent = total_cost = 0
        while True:
            distance, via = self._shortest_paths(s, potential)
            if distance[t] is None:
                return sent, total_cost
            furthest = max(d for d in distance if d is not None)
            for node, d in enumerate(distance):
                potential[node] += furthest if d is None else d
            node = t
            while node != s:
                edge, forward = via[node]
                if forward:
                    total_cost += self._costs[edge][self._used[edge]]
                    self._used[edge] += 1
                    node = self._tail[edge]
                else:
                    self._used[edge] -= 1
                    total_cost -= self._costs[edge][self._used[edge]]
                    node = self._head[edge]
            sent += 1

    def _shortest_paths(self, s: int, potential: list[int]):
        """Distances (by reduced cost) from ``s`` over edges with room, and the arc into each."""
        distance: list[int | None] = [None] * len(self._arcs)
        via: list[tuple[int, bool] | None] = [None] * len(self._arcs)
        distance[s] = 0
        queue = [(0, s)]
        while queue:
            d, node = heapq.heappop(queue)
            if d != distance[node]:
                continue
            for edge, forward in self._arcs[node]:
                used, costs = self._used[edge], self._costs[edge]
                if forward and used < len(costs):
                    other, cost = self._head[edge], costs[used]
                elif not forward and used > 0:
                    other, cost = self._tail[edge], -costs[used - 1]
                else:
                    continue
                reduced = d + cost + potential[node] - potential[other]
                if distance[other] is None or reduced < distance[other]:
                    distance[other] = reduced
                    via[other] = (edge, forward)
                    heapq.heappush(queue, (reduced, other))
        return distance, via
