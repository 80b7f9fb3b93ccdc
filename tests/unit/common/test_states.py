from magnum.common import states


def test_operations_start_only_from_allowed_states():
    assert states.CREATE_COMPLETE in states.UPDATE.allowed_from
    assert states.UPDATE_IN_PROGRESS not in states.UPDATE.allowed_from
    assert states.UPDATE_FAILED in states.RESIZE.allowed_from
    assert states.DELETE_IN_PROGRESS not in states.DELETE.allowed_from
    assert states.CREATE_IN_PROGRESS in states.DELETE.allowed_from


def test_every_in_progress_state_has_an_operation_or_is_rollback():
    for state in states.IN_PROGRESS - {states.ROLLBACK_IN_PROGRESS}:
        assert states.operation_for(state) is not None
