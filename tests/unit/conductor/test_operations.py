"""Progress reports: the text, and at most a few writes per second per bay."""

from __future__ import annotations

import types

from magnum.conductor import operations


class Recorder:
    def __init__(self) -> None:
        self.writes: list[str] = []

    def update_cluster(self, ident, values) -> None:
        self.writes.append(values["status_reason"])


def test_progress_text() -> None:
    assert operations.progress_text("forming swarm", 2, 3) == "forming swarm: 2 of 3"
    assert operations.progress_text("waiting", None, None) == "waiting"


def test_reports_are_rate_limited_but_a_steps_last_count_is_written(monkeypatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(operations.db_api, "get_instance", lambda: recorder)
    monkeypatch.setattr(operations.time, "monotonic", lambda: 1000.0)  # no time passes
    task = types.SimpleNamespace(cluster=types.SimpleNamespace(uuid="u"))
    operation = operations.TaskOperation(task)
    for done in range(100):
        operation.report("starting", done, 100)
    operation.report("starting", 100, 100)
    assert recorder.writes == ["starting: 0 of 100", "starting: 100 of 100"]
