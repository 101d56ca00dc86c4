"""Partial-order schedules: the resource arcs that keep a schedule feasible when tasks shift.

Chaining (Policella, Oddi, Smith & Cesta 2004): walk the tasks by start time and hand each
task units of every resource it needs from chains whose last task has finished by then,
preferring a chain ending in one of its predecessors. An arc joins the chain's last task to
the new one. Any schedule that keeps these arcs and the precedences fits every capacity,
whatever the durations do, so the LNS can fix the order of the tasks it does not relax
instead of their start times: the whole schedule may still slide left.
"""

from collections.abc import Sequence

from relance.planning.improve import Instance


def chain_arcs(
    inst: Instance, starts: Sequence[int], modes: Sequence[int]
) -> list[tuple[int, int]]:
    """(before, after) pairs, precedences of the problem not repeated."""
    ends = [s + inst.durations[i][m] for i, (s, m) in enumerate(zip(starts, modes, strict=True))]
    # Chains of each resource unit: (end of its last task, last task or -1 for none yet).
    chains = [[(0, -1)] * capacity for capacity in inst.capacities]
    arcs: set[tuple[int, int]] = set()
    for j in sorted(range(inst.n), key=lambda i: (starts[i], ends[i])):
        if not inst.durations[j][modes[j]]:
            continue
        preferred = set(inst.predecessors[j])
        for r, units in inst.demands[j][modes[j]]:
            free = [k for k, (end, _) in enumerate(chains[r]) if end <= starts[j]]
            # Predecessors' chains add no arc; then the latest finisher, to keep early ones free.
            free.sort(key=lambda k: (chains[r][k][1] not in preferred, -chains[r][k][0]))
            for k in free[:units]:
                last = chains[r][k][1]
                if last >= 0:
                    arcs.add((last, j))
                    preferred.add(last)
                chains[r][k] = (ends[j], j)
    known = {(a, b) for a in range(inst.n) for b in inst.successors[a]}
    return sorted(arcs - known)
