"""The after-action review's own records: the cell's findings and its improvement actions."""

from enum import StrEnum


class FindingKind(StrEnum):
    WENT_WELL = "went_well"
    TO_IMPROVE = "to_improve"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


A = ActionStatus
# An action is tracked until it is done or dropped; a finished one is reopened by a new action.
ACTION_TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    A.PLANNED: frozenset({A.IN_PROGRESS, A.DONE, A.DROPPED}),
    A.IN_PROGRESS: frozenset({A.PLANNED, A.DONE, A.DROPPED}),
    A.DONE: frozenset(),
    A.DROPPED: frozenset(),
}
