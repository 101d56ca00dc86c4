"""Service dependencies must form a DAG; a cycle is named from and back to one service."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.network import dependency_cycle


def test_a_dag_has_no_cycle() -> None:
    assert dependency_cycle({"NET": [], "AD": ["NET"], "DPI": ["AD", "NET"]}) is None


def test_a_cycle_is_named_in_order() -> None:
    assert dependency_cycle({"AD": ["DNS"], "DNS": ["NET"], "NET": ["AD"]}) == [
        "AD",
        "DNS",
        "NET",
        "AD",
    ]


def test_a_self_dependency_is_a_cycle() -> None:
    assert dependency_cycle({"AD": ["AD"]}) == ["AD", "AD"]


def test_a_long_chain_needs_no_recursion() -> None:
    chain = {f"S{i}": [f"S{i + 1}"] for i in range(5000)} | {"S5000": []}
    assert dependency_cycle(chain) is None


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    n = draw(st.integers(1, 12))
    names = [f"S{i}" for i in range(n)]
    return {name: draw(st.lists(st.sampled_from(names), max_size=4, unique=True)) for name in names}


def _has_cycle(graph: dict[str, list[str]]) -> bool:
    """Oracle: repeatedly remove nodes with no remaining dependencies (Kahn)."""
    remaining = {k: set(v) for k, v in graph.items()}
    while True:
        free = [k for k, v in remaining.items() if not v]
        if not free:
            return bool(remaining)
        for k in free:
            del remaining[k]
        for v in remaining.values():
            v.difference_update(free)


@given(graphs())
def test_cycle_found_exactly_when_there_is_one(graph: dict[str, list[str]]) -> None:
    cycle = dependency_cycle(graph)
    assert (cycle is not None) == _has_cycle(graph)
    if cycle is not None:
        assert cycle[0] == cycle[-1]
        for a, b in itertools.pairwise(cycle):
            assert b in graph[a]
