"""The compiled schedule builder: serial SGS and forward-backward justification.

Every search builds schedules by the hundred thousand (the genetic algorithm, the order search,
sampling): in Python one j120 schedule took about half a millisecond, most of it interpreting
the loop over time slots. Compiled with numba the same loop runs about 20 times faster, and
builds exactly the same schedules (tests/planning/test_improve.py replays the definition).

The problem is passed as flat integer arrays (CSR style: mode k of task i is
`mode_ptr[i] + k`, its demands `dem_ptr[k]:dem_ptr[k + 1]`), so the kernels touch no Python
object. Free units per resource and time slot live in an int32 profile that doubles when a
schedule runs past it.

numba caches the machine code beside this file, or in the user's cache directory when the
installation is read-only (NUMBA_CACHE_DIR chooses another); where neither can be written,
each process compiles once (about 2 seconds) rather than fail.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
F = TypeVar("F", bound=Callable[..., Any])
FIRST_SLOTS = 256  # of the profile before it grows


def _compiled(function: F) -> F:
    try:
        return cast(F, numba.njit(cache=True, nogil=True)(function))
    except RuntimeError:  # numba finds no writable cache directory: compile in each process
        return cast(F, numba.njit(nogil=True)(function))


class Arrays:
    """The problem as the kernels read it, built once per problem."""

    def __init__(
        self,
        capacities: Sequence[int],
        durations: Sequence[Sequence[int]],
        demands: Sequence[Sequence[Sequence[tuple[int, int]]]],
        predecessors: Sequence[Sequence[int]],
        successors: Sequence[Sequence[int]],
    ) -> None:
        self.n = len(durations)
        self.capacities = np.array(capacities, dtype=np.int64)
        self.mode_ptr = _pointers([len(d) for d in durations])
        self.durations = np.array([d for ds in durations for d in ds], dtype=np.int64)
        flat = [dem for modes in demands for dem in modes]
        self.dem_ptr = _pointers([len(dem) for dem in flat])
        self.dem_res = np.array([r for dem in flat for r, _ in dem], dtype=np.int64)
        self.dem_units = np.array([u for dem in flat for _, u in dem], dtype=np.int64)
        self.pred_ptr = _pointers([len(p) for p in predecessors])
        self.pred_idx = np.array([p for ps in predecessors for p in ps], dtype=np.int64)
        self.succ_ptr = _pointers([len(s) for s in successors])
        self.succ_idx = np.array([s for ss in successors for s in ss], dtype=np.int64)
        self.no_penalty = np.zeros(len(self.durations), dtype=np.int64)

    def modes(self) -> tuple[Ints, Ints, Ints, Ints, Ints, Ints]:
        """Arguments every kernel takes, in order."""
        return (
            self.mode_ptr,
            self.durations,
            self.dem_ptr,
            self.dem_res,
            self.dem_units,
            self.capacities,
        )


def _pointers(counts: Sequence[int]) -> Ints:
    return np.concatenate(([0], np.cumsum(counts, dtype=np.int64))).astype(np.int64)


@_compiled
def _grow(free: Any, capacities: Any, end: int) -> Any:
    size = free.shape[1]
    wanted = size
    while wanted < end:
        wanted *= 2
    grown = np.empty((free.shape[0], wanted), dtype=np.int32)
    grown[:, :size] = free
    for r in range(free.shape[0]):
        grown[r, size:] = capacities[r]
    return grown


@_compiled
def _earliest(
    free: Any, start: int, k: int, durations: Any, dem_ptr: Any, dem_res: Any, dem_units: Any
) -> int:
    """The first time >= start where mode k's demands fit for its duration (the profile
    must reach start + the duration for any start returned: the caller grows it)."""
    duration = durations[k]
    if duration == 0:
        return start
    moved = True
    while moved:
        moved = False
        end = start + duration
        if end > free.shape[1]:
            return -start - 1  # the caller grows the profile and asks again from there
        for d in range(dem_ptr[k], dem_ptr[k + 1]):
            r, units = dem_res[d], dem_units[d]
            last = end - 1  # the window can only begin after its last blocked slot
            while last >= start and free[r, last] >= units:
                last -= 1
            if last >= start:
                start, moved = last + 1, True
                break  # the other resources are tried at the new start
    return start


@_compiled
def _take(
    free: Any, start: int, k: int, durations: Any, dem_ptr: Any, dem_res: Any, dem_units: Any
) -> None:
    for d in range(dem_ptr[k], dem_ptr[k + 1]):
        r, units = dem_res[d], dem_units[d]
        for t in range(start, start + durations[k]):
            free[r, t] -= units


@_compiled
def serial(
    order: Any,
    fixed_start: Any,
    fixed_mode: Any,
    pred_ptr: Any,
    pred_idx: Any,
    penalty: Any,
    mode_ptr: Any,
    durations: Any,
    dem_ptr: Any,
    dem_res: Any,
    dem_units: Any,
    capacities: Any,
) -> tuple[Any, Any]:
    """Serial SGS on an activity list: each task at its earliest start in its earliest-finishing
    mode (`penalty[k]` added to mode k's finish when choosing); tasks with fixed_start >= 0
    are reserved first, in fixed_mode. Returns (starts, modes)."""
    n = mode_ptr.shape[0] - 1
    starts = np.zeros(n, dtype=np.int64)
    modes = np.zeros(n, dtype=np.int64)
    ends = np.zeros(n, dtype=np.int64)
    free = np.empty((capacities.shape[0], 256), dtype=np.int32)
    for r in range(capacities.shape[0]):
        free[r, :] = capacities[r]
    for i in range(n):
        if fixed_start[i] >= 0:
            k = mode_ptr[i] + fixed_mode[i]
            end = fixed_start[i] + durations[k]
            if end > free.shape[1]:
                free = _grow(free, capacities, end)
            _take(free, fixed_start[i], k, durations, dem_ptr, dem_res, dem_units)
            starts[i], modes[i], ends[i] = fixed_start[i], fixed_mode[i], end
    for i in order:
        if fixed_start[i] >= 0:
            continue
        ready = 0
        for q in range(pred_ptr[i], pred_ptr[i + 1]):
            ready = max(ready, ends[pred_idx[q]])
        best_cost, best_start, best_mode = 0, 0, 0
        for m in range(mode_ptr[i + 1] - mode_ptr[i]):
            k = mode_ptr[i] + m
            start = _earliest(free, ready, k, durations, dem_ptr, dem_res, dem_units)
            while start < 0:  # ran past the profile: grow it and go on from there
                free = _grow(free, capacities, -start - 1 + durations[k])
                start = _earliest(free, -start - 1, k, durations, dem_ptr, dem_res, dem_units)
            cost = start + durations[k] + penalty[k]
            if m == 0 or cost < best_cost:
                best_cost, best_start, best_mode = cost, start, m
        k = mode_ptr[i] + best_mode
        _take(free, best_start, k, durations, dem_ptr, dem_res, dem_units)
        starts[i], modes[i], ends[i] = best_start, best_mode, best_start + durations[k]
    return starts, modes


@_compiled
def justify(
    starts: Any,
    modes: Any,
    fixed: Any,
    topological: Any,
    pred_ptr: Any,
    pred_idx: Any,
    succ_ptr: Any,
    succ_idx: Any,
    no_penalty: Any,
    mode_ptr: Any,
    durations: Any,
    dem_ptr: Any,
    dem_res: Any,
    dem_units: Any,
    capacities: Any,
) -> tuple[Any, Any]:
    """One backward then one forward pass (forward-backward improvement): right-justify
    against the makespan, latest finishers first, then left-justify, earliest starters first.
    Work under way (fixed >= 0) keeps its start and mode. `topological`: the tasks, each
    after those it waits for. Never returns a longer schedule."""
    n = starts.shape[0]
    ends = starts + durations[mode_ptr[:n] + modes]
    horizon = ends.max() if n else 0
    # Each pass must see a task after those it waits for. Times alone do not say it for tasks
    # of no duration (a chain of them starts and ends at one hour): ties go by the topological
    # order, the backward pass in reverse (stable sorts over the tasks in that order).
    backward = topological[::-1]
    forward = topological
    # Backward: time runs from the makespan towards 0, successors act as predecessors; by
    # latest end, then latest start.
    key = -(ends * (horizon + 1) + starts)
    back_order = backward[np.argsort(key[backward], kind="mergesort")]
    mirrored = np.where(fixed >= 0, horizon - ends, -1)
    back_starts, back_modes = serial(
        back_order, mirrored, modes, succ_ptr, succ_idx, no_penalty,
        mode_ptr, durations, dem_ptr, dem_res, dem_units, capacities,
    )  # fmt: skip
    right = horizon - back_starts - durations[mode_ptr[:n] + back_modes]
    forward_order = forward[np.argsort(right[forward], kind="mergesort")]
    return serial(
        forward_order, fixed, modes, pred_ptr, pred_idx, no_penalty,
        mode_ptr, durations, dem_ptr, dem_res, dem_units, capacities,
    )  # fmt: skip


@_compiled
def seed(value: int) -> None:
    """Seed the compiled code's own random numbers (one generator per thread)."""
    np.random.seed(value)


@_compiled
def join(
    orders: Any, starts: Any, modes: Any, scores: Any, ranked: Any, count: Any, rank: Any,
    new_starts: Any, new_modes: Any, score: int,
) -> bool:  # fmt: skip
    """Let a schedule join the population (its activity list: by start, ties in precedence
    order); the worst leaves when it is full. Members stay in their rows: `ranked[j]` is the
    row of the j-th best, `scores[j]` its makespan, so joining moves two short arrays, not a
    thousand schedules. Rows 0 to count - 1 are in use until the population is full. A twin
    does not join: it would crowd out the diversity crossover needs. True if it joined."""
    n, size = new_starts.shape[0], scores.shape[0]
    at = count[0]
    while at > 0 and scores[at - 1] > score:
        at -= 1
    if at >= size:
        return False
    order = np.argsort(new_starts * n + rank)
    j = at - 1
    while j >= 0 and scores[j] == score:
        if np.array_equal(orders[ranked[j]], order):
            return False
        j -= 1
    row = count[0] if count[0] < size else ranked[size - 1]  # a free row, or the worst's
    last = min(count[0], size - 1)
    for j in range(last, at, -1):
        ranked[j], scores[j] = ranked[j - 1], scores[j - 1]
    ranked[at], scores[at] = row, score
    orders[row], starts[row], modes[row] = order, new_starts, new_modes
    count[0] = min(count[0] + 1, size)
    return True


@_compiled
def breed(
    orders: Any, starts: Any, modes: Any, scores: Any, ranked: Any, count: Any, children: int,
    mutation: float, rank: Any, topological: Any, fixed: Any, fixed_mode: Any,
    pred_ptr: Any, pred_idx: Any, succ_ptr: Any, succ_idx: Any, no_penalty: Any,
    mode_ptr: Any, durations: Any, dem_ptr: Any, dem_res: Any, dem_units: Any, capacities: Any,
) -> None:  # fmt: skip
    """`children` children of the genetic algorithm (genetic.py), each: two parents by binary
    tournament, two-point crossover, swaps of adjacent tasks, the serial SGS, one justification
    kept if shorter, and join(). Work under way keeps its start and mode; a child whose work
    under way would wait for a predecessor placed after its start is dropped. `rank`: each
    task's place in `topological`, an order in which every task follows those it waits for."""
    n = mode_ptr.shape[0] - 1
    taken = np.zeros(n, dtype=np.bool_)
    child = np.empty(n, dtype=np.int64)
    for _ in range(children):
        a, b = np.random.randint(count[0]), np.random.randint(count[0])
        mother = orders[ranked[min(a, b)]]
        a, b = np.random.randint(count[0]), np.random.randint(count[0])
        father = orders[ranked[min(a, b)]]
        _crossover(mother, father, child, taken)
        _mutate(child, mutation, pred_ptr, pred_idx)
        s, m = serial(
            child,
            fixed,
            fixed_mode,
            pred_ptr,
            pred_idx,
            no_penalty,
            mode_ptr,
            durations,
            dem_ptr,
            dem_res,
            dem_units,
            capacities,
        )
        makespan = (s + durations[mode_ptr[:n] + m]).max() if n else 0
        js, jm = justify(
            s,
            m,
            fixed,
            topological,
            pred_ptr,
            pred_idx,
            succ_ptr,
            succ_idx,
            no_penalty,
            mode_ptr,
            durations,
            dem_ptr,
            dem_res,
            dem_units,
            capacities,
        )
        shorter = (js + durations[mode_ptr[:n] + jm]).max() if n else 0
        if shorter < makespan:
            s, m, makespan = js, jm, shorter
        if consistent(s, m, fixed, pred_ptr, pred_idx, mode_ptr, durations):
            join(orders, starts, modes, scores, ranked, count, rank, s, m, makespan)


@_compiled
def _crossover(mother: Any, father: Any, child: Any, taken: Any) -> None:
    """Two-point crossover: the mother's head and tail around the father's middle, every task
    in the relative order of the parent it comes from (precedences hold)."""
    n = mother.shape[0]
    q1, q2 = np.random.randint(n + 1), np.random.randint(n + 1)
    q1, q2 = min(q1, q2), max(q1, q2)
    taken[:] = False
    for k in range(q1):
        child[k] = mother[k]
        taken[mother[k]] = True
    filled = q1
    for i in father:
        if filled >= q2:
            break
        if not taken[i]:
            child[filled] = i
            taken[i] = True
            filled += 1
    for i in mother:
        if not taken[i]:
            child[filled] = i
            filled += 1


@_compiled
def _mutate(child: Any, mutation: float, pred_ptr: Any, pred_idx: Any) -> None:
    """Each task swaps places with the next one by chance, unless it must come first."""
    for k in range(child.shape[0] - 1):
        if np.random.random() < mutation:
            after = child[k + 1]
            bound = False
            for p in pred_idx[pred_ptr[after] : pred_ptr[after + 1]]:
                bound = bound or p == child[k]
            if not bound:
                child[k], child[k + 1] = after, child[k]


@_compiled
def consistent(
    starts: Any, modes: Any, fixed: Any, pred_ptr: Any, pred_idx: Any, mode_ptr: Any,
    durations: Any,
) -> bool:  # fmt: skip
    """Work under way cannot wait for a predecessor the SGS placed after its start."""
    for i in range(starts.shape[0]):
        if fixed[i] >= 0:
            for p in pred_idx[pred_ptr[i] : pred_ptr[i + 1]]:
                if starts[p] + durations[mode_ptr[p] + modes[p]] > starts[i]:
                    return False
    return True


def _load() -> None:
    """Run every kernel once on a two-task problem, so that compiling (or loading the cached
    code, 0.6 s) happens when the module is imported, not inside a solve's time limit."""
    arrays = Arrays([1], [[1], [1]], [[((0, 1),)], [((0, 1),)]], [[], [0]], [[1], []])
    two = np.zeros(2, dtype=np.int64)
    lists, pool_starts, pool_modes = (np.zeros((2, 2), dtype=np.int64) for _ in range(3))
    scores, ranked = np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.int64)
    count = np.zeros(1, dtype=np.int64)
    rank, fixed = np.arange(2, dtype=np.int64), np.full(2, -1, dtype=np.int64)
    order = rank  # 0 then 1: each task's rank is its place in the topological order
    shape = (arrays.pred_ptr, arrays.pred_idx, arrays.succ_ptr, arrays.succ_idx)
    starts, modes = serial(rank, fixed, two, *shape[:2], arrays.no_penalty, *arrays.modes())
    join(lists, pool_starts, pool_modes, scores, ranked, count, rank, starts, modes, 2)
    breed(lists, pool_starts, pool_modes, scores, ranked, count, 1, 0.5, rank, order, fixed, two,
          *shape, arrays.no_penalty, *arrays.modes())  # fmt: skip
    justify(starts, modes, fixed, order, *shape, arrays.no_penalty, *arrays.modes())


_load()
