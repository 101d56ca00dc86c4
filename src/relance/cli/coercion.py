"""Options checked when they are given, not when they are left out.

Typer checks each option's value with a pydantic TypeAdapter, built the first time the option is
processed: also when the command line leaves it out and there is nothing to check (the --help
flag of every command, an unused --site). Importing pydantic and building those adapters cost
`relance status` about 0.1 s of CPU, an eighth of its start (benchmarks/cli_start.py). Here an
option left out gets Typer's own answer (None, or () when repeatable) without an adapter; the
first value given builds Typer's checker as before, and it checks that value and every later one.
"""

from dataclasses import dataclass
from typing import Any

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import _TyperParameter


@dataclass(frozen=True)
class _WhenGiven(RuntimeParam):
    """Typer's checker of one option, built when a value comes (RuntimeParam.coerce answers
    for a missing one without calling _coerce_value)."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        checker = build_runtime_param(self.descriptor)
        param._runtime_param = checker  # later values go to it directly
        return checker._coerce_value(value, param=param, ctx=ctx)


def _checker(self: _TyperParameter) -> RuntimeParam:
    """_TyperParameter.get_runtime_param, with a stand-in until a value comes."""
    if self._runtime_param is None:
        found = self.type_descriptor
        self._runtime_param = _WhenGiven(
            parameter_info=found.parameter_info, annotation=found.annotation, descriptor=found
        )
    return self._runtime_param


def check_when_given() -> None:
    """Called once, before the `relance` group is built."""
    _TyperParameter.get_runtime_param = _checker  # type: ignore[method-assign]  # Typer's lazy hook
