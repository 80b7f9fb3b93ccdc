"""The bay (cluster) state machine, declared in one place.

Status strings are the Heat stack statuses magnum has always used. Each
operation names the states it may start from and the in-progress state it
moves the bay to; the conductor later moves it to that operation's COMPLETE
or FAILED state. The API performs the move with one conditional UPDATE
(``Connection.set_cluster_status_if``), so there is no read-check-write race.
``tools/states_to_dot.py`` draws this table for the docs.
"""

from __future__ import annotations

import dataclasses

CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
CREATE_FAILED = "CREATE_FAILED"
CREATE_COMPLETE = "CREATE_COMPLETE"
UPDATE_IN_PROGRESS = "UPDATE_IN_PROGRESS"
UPDATE_FAILED = "UPDATE_FAILED"
UPDATE_COMPLETE = "UPDATE_COMPLETE"
DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
DELETE_FAILED = "DELETE_FAILED"
DELETE_COMPLETE = "DELETE_COMPLETE"
RESUME_COMPLETE = "RESUME_COMPLETE"
RESUME_FAILED = "RESUME_FAILED"
RESTORE_COMPLETE = "RESTORE_COMPLETE"
ROLLBACK_IN_PROGRESS = "ROLLBACK_IN_PROGRESS"
ROLLBACK_FAILED = "ROLLBACK_FAILED"
ROLLBACK_COMPLETE = "ROLLBACK_COMPLETE"
SNAPSHOT_COMPLETE = "SNAPSHOT_COMPLETE"
CHECK_COMPLETE = "CHECK_COMPLETE"
ADOPT_COMPLETE = "ADOPT_COMPLETE"

ALL = (
    CREATE_IN_PROGRESS,
    CREATE_FAILED,
    CREATE_COMPLETE,
    UPDATE_IN_PROGRESS,
    UPDATE_FAILED,
    UPDATE_COMPLETE,
    DELETE_IN_PROGRESS,
    DELETE_FAILED,
    DELETE_COMPLETE,
    RESUME_COMPLETE,
    RESUME_FAILED,
    RESTORE_COMPLETE,
    ROLLBACK_IN_PROGRESS,
    ROLLBACK_FAILED,
    ROLLBACK_COMPLETE,
    SNAPSHOT_COMPLETE,
    CHECK_COMPLETE,
    ADOPT_COMPLETE,
)

IN_PROGRESS = frozenset(s for s in ALL if s.endswith("_IN_PROGRESS"))
STABLE_COMPLETE = frozenset(s for s in ALL if s.endswith("_COMPLETE") and s != DELETE_COMPLETE)
FAILED = frozenset(s for s in ALL if s.endswith("_FAILED"))

# Health of a running bay, independent of its provisioning status.
HEALTHY = "HEALTHY"
UNHEALTHY = "UNHEALTHY"
UNKNOWN = "UNKNOWN"
HEALTH_STATES = (HEALTHY, UNHEALTHY, UNKNOWN)


@dataclasses.dataclass(frozen=True)
class Operation:
    name: str
    allowed_from: frozenset[str]
    in_progress: str
    complete: str
    failed: str


CREATE = Operation("create", frozenset(), CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED)
UPDATE = Operation("update", STABLE_COMPLETE, UPDATE_IN_PROGRESS, UPDATE_COMPLETE, UPDATE_FAILED)
# A resize may also retry a failed update or extend one in progress (spec 3.2).
RESIZE = Operation(
    "resize",
    STABLE_COMPLETE | {UPDATE_FAILED},
    UPDATE_IN_PROGRESS,
    UPDATE_COMPLETE,
    UPDATE_FAILED,
)
UPGRADE = Operation("upgrade", STABLE_COMPLETE, UPDATE_IN_PROGRESS, UPDATE_COMPLETE, UPDATE_FAILED)
# Delete is allowed from anything but a delete already under way.
DELETE = Operation(
    "delete",
    frozenset(ALL) - {DELETE_IN_PROGRESS},
    DELETE_IN_PROGRESS,
    DELETE_COMPLETE,
    DELETE_FAILED,
)

OPERATIONS = {op.name: op for op in (CREATE, UPDATE, RESIZE, UPGRADE, DELETE)}


def operation_for(in_progress_state: str) -> Operation | None:
    """The operation a bay in ``in_progress_state`` is running (for the sync)."""
    for op in (CREATE, UPDATE, DELETE):
        if op.in_progress == in_progress_state:
            return op
    return None
