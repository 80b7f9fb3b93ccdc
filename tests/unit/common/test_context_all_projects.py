"""The one helper for an all-projects copy of a request context."""

from __future__ import annotations

from magnum.common import context


def test_all_projects_copies_without_touching_the_original() -> None:
    original = context.RequestContext(project_id="p", user_id="u", overwrite=False)
    widened = context.all_projects(original)
    assert widened is not original
    assert widened.all_projects and not original.all_projects
    assert widened.project_id == "p"
    assert context.all_projects(widened) is widened  # already wide: no copy
    assert context.all_projects(None) is None
