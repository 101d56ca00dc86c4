"""Search over the order in which the milestones come back.

A schedule is made from one key per milestone (a time it aims at): each task takes the smallest
key of the milestones that wait for it, and the serial schedule generation places tasks in that
order. Searching keys rather than task orders moves whole activity levels at once: a milestone
brought forward pulls every server, service and PC batch it waits for. One more number, the
price in hours of using a team that several pools share (the contractor working anywhere),
keeps such a team for what only it can do; it is searched too (measured on vivalia-2022: about
4 % less downtime at 4 to 8 hours than with none).

The keys start from a schedule's own milestone times, or from the relaxation's estimates
(cpsat/relaxation.py), which are much better: the search is a random walk that keeps every
change no worse than the current point (the same walk across plateaus as the LNS).
"""

import math
import random
from collections.abc import Sequence

from relance.planning.baseline import latest_finish
from relance.planning.improve import Instance, Placed, activity_list, fixed_work, sgs
from relance.planning.problem import Problem, Schedule

SPREADS = (0.005, 0.01, 0.02, 0.05)  # shares of the horizon a key moves by in a random step
SHARES = (0.1, 0.3, 1.0)  # of the keys moved in a step
PRICE_STEPS = 0.1  # of the steps change the price instead


class OrderSearch:
    def __init__(self, problem: Problem, start: Schedule, seed: int = 0) -> None:
        self.inst = Instance(problem)
        self.rng = random.Random(seed)  # noqa: S311 - a search's dice, not a secret
        self.wanted: list[list[int]] = [[] for _ in range(self.inst.n)]
        for k, needs in enumerate(problem.milestone_needs()):
            for i in needs:
                self.wanted[i].append(k)
        tail = latest_finish(problem)
        spread = (max(tail, default=0.0) - min(tail, default=0.0)) or 1.0
        self.tie = [t / spread * 1e-3 for t in tail]  # longest chains first among equals
        shared = _shared_resources(self.inst)
        self.shared = [
            [len(modes) > 1 and any(r in shared for r, _ in dem) for dem in modes]
            for modes in self.inst.demands
        ]
        self.fixed = fixed_work(self.inst, start.modes)
        self.horizon = max(1, self.inst.objective((list(start.starts), list(start.modes)))[1])
        durations = sorted(d for ds in self.inst.durations for d in ds if d)
        self.unit = durations[len(durations) // 2] if durations else 1  # a typical task
        self.best: Placed = (list(start.starts), list(start.modes))
        self.best_score = self.inst.objective(self.best)
        self.evaluations = 0
        # The walk starts at the start's own times and no price: one schedule (on a network of
        # 70,000 PCs each costs seconds), where restart() tries several prices.
        self.keys, self.price = self._times(start), 0.0
        self.score = self._place(self.keys, self.price) or self.best_score

    def restart(self, keys: Sequence[float]) -> None:
        """Walk on from these keys, with the price that suits them best."""
        trials = [(list(keys), self.unit * share) for share in (0.0, 0.25, 0.5, 1.0)]
        scored = [(self._place(k, p), k, p) for k, p in trials]
        found = [(s, k, p) for s, k, p in scored if s is not None]
        if found:
            self.score, self.keys, self.price = min(found, key=lambda f: f[0])

    def step(self) -> None:
        """One random change of the keys or the price, kept if no worse."""
        keys, price = list(self.keys), self.price
        if self.rng.random() < PRICE_STEPS:
            price = max(0.0, price + self.rng.gauss(0.0, 0.1) * self.unit)
        else:  # some of the keys, or all, moved at random
            sigma = self.horizon * self.rng.choice(SPREADS)
            share = self.rng.choice(SHARES)
            keys = [
                k + self.rng.gauss(0.0, sigma) if self.rng.random() < share else k for k in keys
            ]
        score = self._place(keys, price)
        if score is not None and score <= self.score:
            self.keys, self.price, self.score = keys, price, score

    def schedule(self) -> Schedule:
        return Schedule(tuple(self.best[0]), tuple(self.best[1]))

    def _place(self, keys: Sequence[float], price: float) -> tuple[int, int] | None:
        """Schedule from keys; the score, or None when work under way cannot keep its start."""
        last = max(keys, default=0.0) + self.horizon  # tasks no milestone waits for come last
        priority = [
            min((keys[k] for k in wanted), default=last) + tie
            for wanted, tie in zip(self.wanted, self.tie, strict=True)
        ]
        penalty = [[math.ceil(price) if s else 0 for s in modes] for modes in self.shared]
        order = activity_list(self.inst, priority)
        placed = sgs(self.inst, order, self.fixed, penalty)
        self.evaluations += 1
        if not self.inst.consistent(placed):
            return None
        score = self.inst.objective(placed)
        if score < self.best_score:
            self.best, self.best_score = placed, score
        return score

    def _times(self, schedule: Schedule) -> list[float]:
        durations = self.inst.durations
        ends = [s + durations[i][schedule.modes[i]] for i, s in enumerate(schedule.starts)]
        return [
            float(max((ends[t] for t in m.tasks), default=0)) for m in self.inst.problem.milestones
        ]


def _shared_resources(inst: Instance) -> set[int]:
    """Resources that tasks with different choices of teams compete for (a contractor working
    for every site), as against a team only its own site's work can use."""
    users: dict[int, set[frozenset[int]]] = {}
    for modes in inst.demands:
        choice = frozenset(r for dem in modes for r, _ in dem)
        for r in choice:
            users.setdefault(r, set()).add(choice)
    return {r for r, choices in users.items() if len(choices) > 1}
