"""A genetic algorithm over activity lists for makespan problems (PSPLIB).

Hartmann's (1998) activity-list GA with the serial SGS, each child justified (forward-backward
improvement, improve.py) and its list replaced by the justified schedule's order, as the best
heuristics of Kolisch & Hartmann's survey (2006) and Valls et al. (2005) do. On instances
where resources are scarce the makespan depends on the order in which whole groups of tasks
share the resources; crossover keeps groups two good schedules agree on, where a CP-SAT
neighbourhood of a few tasks cannot reorder them.

The population starts from the seeds (the best priority rule) and random-key perturbations of
the priority rules; a schedule another search found (CP-SAT) can join it at any time. Children
are bred by the compiled kernel (kernel.breed), about 10,000 a CPU second on j120 where Python
made 600. With that many children a small population converges within a second (48 restarted
about 150 times in 9 s on j120): eight schedules a task keep it searching for most of the time,
and a converged one starts again around its best schedule.
"""

import random
import time
from collections.abc import Callable, Sequence

import numpy as np

from relance.planning import kernel
from relance.planning.improve import Instance, Placed, activity_list, fixed_work, improve, sgs

POPULATION = 24  # at least
PER_TASK = 8  # schedules a task (j30: 256, j120: 960): 5 to 11 did alike, 0.4 and 16 worse
CELLS = 1_000_000  # at most, in each of the population's arrays (8 MB): large networks keep fewer
PASSES = 1  # justifications of a child: one, and twice as many children, gain more than four
MUTATION = 0.03  # chance that a task swaps places with the next one in a child's list
STALL = 10  # generations without a better schedule after which the population has converged
NOISE = (0.05, 0.1, 0.2, 0.4)  # shares of a rule's spread added as noise, first population


class Genetic:
    """The population lives in arrays the compiled kernel breeds in place (kernel.breed), a
    generation per call: Python only watches the clock and shares the best."""

    def __init__(
        self,
        inst: Instance,
        seeds: Sequence[Placed],
        rules: Sequence[Sequence[float]],
        seed: int = 0,
    ) -> None:
        self.inst = inst
        self.rng = random.Random(seed)  # noqa: S311 - a search's dice, not a secret
        kernel.seed(seed)
        self.modes = list(seeds[0][1])
        self.size = max(POPULATION, min(PER_TASK * inst.n, CELLS // max(1, inst.n)))
        self.orders = np.zeros((self.size, inst.n), dtype=np.int64)
        self.starts = np.zeros((self.size, inst.n), dtype=np.int64)
        self.chosen = np.zeros((self.size, inst.n), dtype=np.int64)  # the modes
        self.scores = np.zeros(self.size, dtype=np.int64)  # best first
        self.ranked = np.zeros(self.size, dtype=np.int64)  # the row of each, best first
        self.count = np.zeros(1, dtype=np.int64)  # members so far (an array: the kernel adds)
        fixed = fixed_work(inst, self.modes)
        self.fixed_mode = np.array([fixed[i][1] if i in fixed else 0 for i in range(inst.n)])
        self.children = 0
        for placed in seeds:
            self.add(placed)
        self._rules = list(rules)
        self._spreads = [max(r, default=0.0) - min(r, default=0.0) or 1.0 for r in rules]

    @property
    def population(self) -> list[tuple[int, list[int], Placed]]:
        """(makespan, activity list, schedule) of every member, best first."""
        return [
            (int(self.scores[j]), self.orders[row].tolist(), self._placed(row))
            for j, row in enumerate(self.ranked[: int(self.count[0])].tolist())
        ]

    @property
    def best(self) -> tuple[tuple[int, int], Placed]:
        score = int(self.scores[0])
        return (score, score), self._placed(int(self.ranked[0]))

    def _placed(self, row: int) -> Placed:
        return self.starts[row].tolist(), self.chosen[row].tolist()

    def add(self, placed: Placed) -> bool:
        """Justify a schedule and let it join (the worst one leaves); False if inconsistent."""
        placed = improve(self.inst, placed, PASSES)
        self.children += 1
        if not self.inst.consistent(placed):
            return False
        kernel.join(
            self.orders, self.starts, self.chosen, self.scores, self.ranked, self.count,
            self.inst.rank,
            np.array(placed[0], dtype=np.int64), np.array(placed[1], dtype=np.int64),
            self.inst.objective(placed)[0],
        )  # fmt: skip
        return True

    def run(self, deadline: float, share: Callable[[Placed], bool] | None = None) -> None:
        """Fill the population from the rules, then breed until the deadline. `share` hears of
        the best schedule after every generation (it may add another search's schedules); it
        answers False to stop. A population STALL generations without a better schedule has
        converged: it starts again around the best (restart)."""
        self.fill(deadline)
        improved = self.children
        while time.perf_counter() < deadline:
            before = self.best[0]
            self.breed(self.size)
            if self.best[0] < before:
                improved = self.children
            if share is not None and not share(self.best[1]):
                return
            if self.children - improved >= STALL * self.size:
                self.restart(deadline)
                improved = self.children

    def restart(self, deadline: float) -> None:
        """Keep the best schedule, fill the rest anew: half from the rules, half from the best
        schedule's start times, both with random noise."""
        best = int(self.ranked[0])
        for rows in (self.orders, self.starts, self.chosen):
            rows[0] = rows[best]  # the best in row 0: rows 1 and on are free again
        self.ranked[0], self.count[0] = 0, 1
        self.fill(deadline, [float(t) for t in self.starts[0].tolist()])

    def fill(self, deadline: float, around: list[float] | None = None) -> None:
        """The population's free places: the rules' schedules (and the start times `around`)
        with growing random noise."""
        rules, spreads = list(self._rules), list(self._spreads)
        if around is not None:
            rules.append(around)
            spreads.append(max(around, default=0.0) - min(around, default=0.0) or 1.0)
        for k in range(4 * self.size):  # fewer distinct schedules: breed what there is
            if self.count[0] >= self.size or time.perf_counter() >= deadline:
                return
            rule = rules[k % len(rules)]
            noise = spreads[k % len(rules)] * self.rng.choice(NOISE)
            priority = [v + self.rng.uniform(0.0, noise) for v in rule]
            self.add(sgs(self.inst, activity_list(self.inst, priority), self._fixed()))

    def breed(self, children: int = 1) -> None:
        """Children of parents drawn by binary tournament (kernel.breed)."""
        a = self.inst.arrays
        kernel.breed(
            self.orders, self.starts, self.chosen, self.scores, self.ranked, self.count, children,
            MUTATION, self.inst.rank, self.inst.order, self.inst.fixed_at, self.fixed_mode,
            a.pred_ptr, a.pred_idx, a.succ_ptr, a.succ_idx, a.no_penalty, *a.modes(),
        )  # fmt: skip
        self.children += children

    def _fixed(self) -> dict[int, tuple[int, int]]:
        return fixed_work(self.inst, self.modes)
