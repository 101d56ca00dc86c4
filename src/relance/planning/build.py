"""From the state of the network to the scheduling problem of what remains to rebuild.

Time is counted in working hours of the technicians from the start of the plan. Servers are
one task each; PCs of a department are batched (a technician takes a trolley of machines);
each service has a zero-length "up" task after its servers and its dependencies; each
clinical activity has milestones, one per capacity level it can reach.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from relance.domain.functioning import activity_status, services_up
from relance.domain.lifecycle import REMAINING_WORK, AssetState
from relance.domain.network import AssetKind, ClinicalActivity, Effort, ItService, Skill, Team
from relance.planning.problem import (
    InfeasibleProblem,
    Milestone,
    Mode,
    Problem,
    Resource,
    Schedule,
    Task,
)

LEVELS = (0.25, 0.5, 0.75, 1.0)  # shares of each machine need at which capacity is counted
MAX_BATCHES = 1500  # PC tasks in all: beyond it batches grow (a 70,000-PC network)
MIN_BATCH = 5


@dataclass(frozen=True)
class ServerState:
    hostname: str
    site: str
    services: tuple[str, ...]
    state: AssetState


@dataclass(frozen=True)
class Delay:
    """Extra waiting reported by the crisis cell before a service or a department's PCs."""

    target: str  # a service code, or SITE/DEPARTMENT
    hours: int
    reason: str


@dataclass(frozen=True)
class RecoveryState:
    services: Sequence[ItService]
    teams: Sequence[Team]
    activities: Sequence[ClinicalActivity]
    effort: Effort
    servers: Sequence[ServerState]
    # Every PC, (hostname, state), per (site, kind, department).
    machines: Mapping[tuple[str, AssetKind, str], Sequence[tuple[str, AssetState]]]
    delays: Sequence[Delay] = ()


@dataclass(frozen=True)
class TaskInfo:
    kind: str  # server | machines | service | delay
    site: str | None
    group: str  # service code, or SITE/DEPT for PCs
    machines: int
    pools: tuple[int, ...]  # the pool of teams (a resource) of each mode
    hostnames: tuple[str, ...] = ()  # the machines it rebuilds


@dataclass(frozen=True)
class Level:
    site: str
    activity: str
    name: str
    capacity: int  # percent reached at this milestone
    before: int  # percent before it


@dataclass(frozen=True)
class RecoveryProblem:
    problem: Problem
    tasks: tuple[TaskInfo, ...]
    levels: tuple[Level, ...]  # one per milestone
    capacity_now: Mapping[tuple[str, str], int]
    pools: tuple[tuple[Team, ...], ...]  # the teams behind each resource


class _Builder:
    def __init__(self, state: RecoveryState) -> None:
        self.state = state
        self.tasks: list[Task] = []
        self.info: list[TaskInfo] = []
        self.arcs: list[tuple[int, int]] = []
        # Teams with the same skills and the same site are interchangeable: the solver sees one
        # pool (a resource of their summed size); assign_teams() names the team of each task.
        pools: dict[tuple[frozenset[Skill], str | None], list[Team]] = {}
        for team in state.teams:
            pools.setdefault((team.skills, team.site), []).append(team)
        self.pools = tuple(tuple(p) for p in pools.values())
        self.resources = tuple(
            Resource("+".join(t.code for t in p), sum(t.size for t in p)) for p in self.pools
        )
        self.tier_last = max((s.tier or 0 for s in state.services), default=0) + 1

    def add(self, task: Task, info: TaskInfo) -> int:
        self.tasks.append(task)
        self.info.append(info)
        return len(self.tasks) - 1

    def modes(
        self, skill: Skill, site: str, duration: int, what: str
    ) -> tuple[tuple[Mode, ...], tuple[int, ...]]:
        pools = [
            r
            for r, pool in enumerate(self.pools)
            if skill in pool[0].skills and pool[0].site in (None, site)
        ]
        if not pools:
            raise InfeasibleProblem(
                f"no team can rebuild {what} at {site}: no team with the {skill.value} skill "
                "works there or centrally; add one to the scenario"
            )
        return tuple(Mode(duration, ((r, 1),)) for r in pools), tuple(pools)


def build(state: RecoveryState, batch_size: int | None = None) -> RecoveryProblem:
    b = _Builder(state)
    service_up = _services(b)
    batches = _machines(b, service_up, batch_size)
    levels, milestones, now = _milestones(b, service_up, batches)
    problem = Problem(b.resources, tuple(b.tasks), tuple(b.arcs), tuple(milestones))
    return RecoveryProblem(problem, tuple(b.info), tuple(levels), now, b.pools)


def assign_teams(recovery: RecoveryProblem, schedule: Schedule) -> list[str]:
    """The team of each task (empty for tasks nobody works on), never more tasks at once in a
    team than technicians: in start order, each task goes to the first team of its pool with a
    technician free. This always succeeds, because a pool never holds more tasks at once than
    its summed size, and with one technician per task the greedy order needs no more."""
    free: list[list[list[int]]] = [[[0] * t.size for t in pool] for pool in recovery.pools]
    out = [""] * len(recovery.tasks)
    order = sorted(range(len(recovery.tasks)), key=lambda i: (schedule.starts[i], i))
    for i in order:
        info = recovery.tasks[i]
        if not info.pools:
            continue
        mode = schedule.modes[i]
        pool = info.pools[mode]
        start = schedule.starts[i]
        end = start + recovery.problem.tasks[i].modes[mode].duration
        for t, technicians in enumerate(free[pool]):
            k = next((k for k, until in enumerate(technicians) if until <= start), None)
            if k is not None:
                technicians[k] = end
                out[i] = recovery.pools[pool][t].code
                break
    return out


def _delay(b: _Builder, target: str, site: str | None, tier: int) -> int | None:
    hours = [d for d in b.state.delays if d.target == target]
    if not hours:
        return None
    reason = "; ".join(d.reason for d in hours)
    task = Task(f"delay {target}: {reason}", (Mode(sum(d.hours for d in hours)),), target, tier)
    return b.add(task, TaskInfo("delay", site, target, 0, ()))


def _services(b: _Builder) -> dict[str, int]:
    """Server tasks and each service's zero-length "up" task; returns the up task by code."""
    tiers = {s.code: s.tier or b.tier_last for s in b.state.services}
    up = {
        s.code: b.add(
            Task(f"{s.code} up", (Mode(0),), s.code, tiers[s.code]),
            TaskInfo("service", None, s.code, 0, ()),
        )
        for s in b.state.services
    }
    depends = {s.code: s.depends_on for s in b.state.services}
    for s in b.state.services:
        for d in s.depends_on:
            b.arcs.append((up[d], up[s.code]))
        wait = _delay(b, s.code, None, tiers[s.code])
        if wait is not None:
            b.arcs += [(up[d], wait) for d in s.depends_on] + [(wait, up[s.code])]
    hours = {s.code: s.rebuild_hours for s in b.state.services}
    for server in b.state.servers:
        remaining = REMAINING_WORK[server.state]
        hosted = [c for c in server.services if c in up]
        if not remaining or not hosted:
            continue
        duration = math.ceil(max(hours[c] for c in hosted) * remaining)
        modes, teams = b.modes(Skill.SERVER, server.site, duration, f"server {server.hostname}")
        tier = min(tiers[c] for c in hosted)
        task = b.add(
            Task(server.hostname, modes, hosted[0], tier),
            TaskInfo("server", server.site, hosted[0], 1, teams, (server.hostname,)),
        )
        needs = {d for c in hosted for d in depends[c]} - set(hosted)
        b.arcs += [(up[d], task) for d in sorted(needs)] + [(task, up[c]) for c in hosted]
    return up


def _machine_tiers(b: _Builder) -> dict[tuple[str, AssetKind, str], int]:
    """A department's PCs come in the tier where the first activity needing them can run."""
    tiers = {s.code: s.tier or b.tier_last for s in b.state.services}
    out: dict[tuple[str, AssetKind, str], int] = {}
    for a in b.state.activities:
        tier = max((tiers.get(c, b.tier_last) for c in a.services), default=1)
        for need in a.machines:
            key = (a.site, need.kind, need.department)
            out[key] = min(out.get(key, tier), tier)
    return out


def _machines(
    b: _Builder, up: dict[str, int], batch_size: int | None
) -> dict[tuple[str, AssetKind, str], list[tuple[int, int]]]:
    """PC batches per (site, kind, department), most advanced machines first: (task, PCs)."""
    remaining = {
        key: sum(1 for _, s in pcs if REMAINING_WORK[s]) for key, pcs in b.state.machines.items()
    }
    size = batch_size or max(MIN_BATCH, math.ceil(sum(remaining.values()) / MAX_BATCHES))
    tiers = _machine_tiers(b)
    before = [up[c] for c in b.state.effort.machine_services if c in up]
    out: dict[tuple[str, AssetKind, str], list[tuple[int, int]]] = defaultdict(list)
    for key in sorted(b.state.machines):
        site, kind, dept = key
        queue = sorted(
            (pc for pc in b.state.machines[key] if REMAINING_WORK[pc[1]]),
            key=lambda pc: (REMAINING_WORK[pc[1]], pc[0]),
        )
        tier = tiers.get(key, b.tier_last)
        key_name = f"{site}/{dept}"
        wait = _delay(b, key_name, site, tier)
        for first in range(0, len(queue), size):
            chunk = queue[first : first + size]
            hours = math.ceil(sum(b.state.effort.hours(kind) * REMAINING_WORK[s] for _, s in chunk))
            label = f"{site}/{dept} {kind.value} {first + 1}-{first + len(chunk)} of {len(queue)}"
            modes, teams = b.modes(Skill.WORKSTATION, site, hours, f"{kind.value}s of {dept}")
            task = b.add(
                Task(label, modes, key_name, tier),
                TaskInfo("machines", site, key_name, len(chunk), teams, tuple(h for h, _ in chunk)),
            )
            b.arcs += [(u, task) for u in before] + ([(wait, task)] if wait is not None else [])
            out[key].append((task, len(chunk)))
    return out


def _milestones(
    b: _Builder,
    up: dict[str, int],
    batches: Mapping[tuple[str, AssetKind, str], list[tuple[int, int]]],
) -> tuple[list[Level], list[Milestone], dict[tuple[str, str], int]]:
    servers: dict[str, dict[AssetState, int]] = defaultdict(lambda: defaultdict(int))
    for server in b.state.servers:
        for c in server.services:
            servers[c][server.state] += 1
    running = services_up(b.state.services, servers)
    back = {
        key: sum(1 for _, state in pcs if state is AssetState.REDEPLOYED)
        for key, pcs in b.state.machines.items()
    }
    levels: list[Level] = []
    milestones: list[Milestone] = []
    now: dict[tuple[str, str], int] = {}
    for a in b.state.activities:
        redeployed = {(k, d): n for (s, k, d), n in back.items() if s == a.site}
        current = activity_status(a, running, redeployed).capacity
        now[(a.site, a.code)] = current
        floor = a.paper_capacity if a.paper_mode else 0
        previous = current
        for share in LEVELS if a.machines else (1.0,):
            capacity = max(floor, round(share * 100))
            if capacity <= previous:
                continue
            tasks = [up[c] for c in a.services if c in up]
            for need in a.machines:
                missing = max(
                    0,
                    math.ceil(share * need.count) - redeployed.get((need.kind, need.department), 0),
                )
                for task, count in batches.get((a.site, need.kind, need.department), []):
                    if missing <= 0:
                        break
                    tasks.append(task)
                    missing -= count
            weight = round(a.weight * (capacity - previous))
            milestones.append(Milestone(f"{a.site} {a.code} {capacity} %", weight, tuple(tasks)))
            levels.append(Level(a.site, a.code, a.name, capacity, previous))
            previous = capacity
    return levels, milestones, now
