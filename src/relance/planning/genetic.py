"""A genetic algorithm over activity lists for makespan problems (PSPLIB).

Hartmann's (1998) activity-list GA with the serial SGS, each child justified (forward-backward
improvement, improve.py) and its list replaced by the justified schedule's order, as the best
heuristics of Kolisch & Hartmann's survey (2006) and Valls et al. (2005) do. On instances
where resources are scarce the makespan depends on the order in which whole groups of tasks
share the resources; crossover keeps groups two good schedules agree on, where a CP-SAT
neighbourhood of a few tasks cannot reorder them.

The population starts from the seeds (the best priority rule) and random-key perturbations of
the priority rules; a schedule another search found (CP-SAT) can join it at any time.
"""

import random
import time
from collections.abc import Callable, Sequence

from relance.planning.improve import Instance, Placed, activity_list, fixed_work, improve, sgs

POPULATION = 24  # at least (j30): about 1,500 children fit in the few seconds it gets on j120
PER_TASK = 0.4  # schedules a task when that is more: 24 converge too early on j120
PASSES = 1  # justifications of a child: one, and twice as many children, gain more than four
MUTATION = 0.03  # chance that a task swaps places with the next one in a child's list
STALL = 10  # generations without a better schedule after which the population has converged
NOISE = (0.05, 0.1, 0.2, 0.4)  # shares of a rule's spread added as noise, first population


class Genetic:
    def __init__(
        self,
        inst: Instance,
        seeds: Sequence[Placed],
        rules: Sequence[Sequence[float]],
        seed: int = 0,
    ) -> None:
        self.inst = inst
        self.rng = random.Random(seed)  # noqa: S311 - a search's dice, not a secret
        self.modes = list(seeds[0][1])
        self.rank = {task: r for r, task in enumerate(inst.order)}
        self.before = [set(p) for p in inst.predecessors]
        self.population: list[tuple[tuple[int, int], list[int], Placed]] = []
        self.size = max(POPULATION, round(PER_TASK * inst.n))  # j30: 24, j120: 49
        self.children = 0
        for placed in seeds:
            self.add(placed)
        self._rules = list(rules)
        self._spreads = [max(r, default=0.0) - min(r, default=0.0) or 1.0 for r in rules]

    @property
    def best(self) -> tuple[tuple[int, int], Placed]:
        score, _, placed = self.population[0]
        return score, placed

    def add(self, placed: Placed) -> bool:
        """Justify a schedule and let it join (the worst one leaves); False if inconsistent."""
        placed = improve(self.inst, placed, PASSES)
        self.children += 1
        if not self.inst.consistent(placed):
            return False
        score = self.inst.objective(placed)
        order = self.order_of(placed)
        if any(s == score and o == order for s, o, _ in self.population):
            return True  # a twin would crowd out the diversity crossover needs
        self.population.append((score, order, placed))
        self.population.sort(key=lambda member: member[0])
        del self.population[self.size :]
        return True

    def order_of(self, placed: Placed) -> list[int]:
        """The schedule's activity list: by start, ties in precedence order."""
        starts = placed[0]
        return sorted(range(self.inst.n), key=lambda i: (starts[i], self.rank[i]))

    def run(self, deadline: float, share: Callable[[Placed], bool] | None = None) -> None:
        """Fill the population from the rules, then breed until the deadline. `share` hears of
        every better schedule and after every generation's worth of children (it may add
        another search's schedules); it answers False to stop. Stops early once converged:
        on small problems the LNS then does better with the time left."""
        best = self.best[0]
        self.fill(deadline)
        improved = self.children
        while time.perf_counter() < deadline and self.children - improved < STALL * self.size:
            before = self.best[0]
            self.breed()
            if self.best[0] < before:
                improved = self.children
            if share is not None and (self.best[0] < best or not self.children % self.size):
                best = self.best[0]
                if not share(self.best[1]):
                    return

    def fill(self, deadline: float) -> None:
        """The first population: the rules' schedules with growing random noise."""
        for k in range(4 * self.size):  # fewer distinct schedules: breed what there is
            if len(self.population) >= self.size or time.perf_counter() >= deadline:
                return
            rule = self._rules[k % len(self._rules)]
            noise = self._spreads[k % len(self._rules)] * self.rng.choice(NOISE)
            priority = [v + self.rng.uniform(0.0, noise) for v in rule]
            self.add(self._decode(activity_list(self.inst, priority)))

    def breed(self) -> None:
        """One child of two parents drawn by binary tournament."""
        mother, father = self._parent(), self._parent()
        child = self.crossover(mother, father)
        self.mutate(child)
        self.add(self._decode(child))

    def _parent(self) -> list[int]:
        a, b = self.rng.randrange(len(self.population)), self.rng.randrange(len(self.population))
        return self.population[min(a, b)][1]  # the population is sorted: lower is better

    def crossover(self, mother: list[int], father: list[int]) -> list[int]:
        """Two-point crossover: the mother's head and tail around the father's middle, every
        task in the relative order of the parent it comes from (precedences hold)."""
        n = len(mother)
        q1, q2 = sorted((self.rng.randrange(n + 1), self.rng.randrange(n + 1)))
        child = mother[:q1]
        taken = set(child)
        for i in father:
            if len(child) >= q2:
                break
            if i not in taken:
                child.append(i)
                taken.add(i)
        child += [i for i in mother if i not in taken]
        return child

    def mutate(self, order: list[int]) -> None:
        for k in range(len(order) - 1):
            if self.rng.random() < MUTATION and order[k] not in self.before[order[k + 1]]:
                order[k], order[k + 1] = order[k + 1], order[k]

    def _decode(self, order: list[int]) -> Placed:
        return sgs(self.inst, order, fixed_work(self.inst, self.modes), self.inst.predecessors)
