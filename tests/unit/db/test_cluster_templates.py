"""Cluster template specifics: public/hidden visibility, refusal to delete a template in use."""

from __future__ import annotations

import pytest

from magnum.common import context, exception
from tests.unit.db import utils


@pytest.fixture
def templates(dbapi):
    return {
        "own": utils.create_cluster_template(name="own"),
        "own_hidden": utils.create_cluster_template(name="own-hidden", hidden=True),
        "private": utils.create_cluster_template(name="private", project_id="project-b"),
        "public": utils.create_cluster_template(name="public", project_id="ops", public=True),
        "public_hidden": utils.create_cluster_template(
            name="public-hidden", project_id="ops", public=True, hidden=True
        ),
    }


def _names(rows):
    return sorted(r.name for r in rows)


def test_user_sees_own_and_public_not_hidden(dbapi, ctx, templates):
    assert _names(dbapi.get_cluster_template_list(ctx)) == ["own", "own-hidden", "public"]
    assert dbapi.get_cluster_template_by_uuid(ctx, templates["public"].uuid).name == "public"
    for key in ("private", "public_hidden"):
        with pytest.raises(exception.ResourceNotFound):
            dbapi.get_cluster_template_by_uuid(ctx, templates[key].uuid)
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_cluster_template_by_name(ctx, "public-hidden")


def test_admin_also_sees_public_hidden(dbapi, admin_ctx, templates):
    assert _names(dbapi.get_cluster_template_list(admin_ctx)) == ["public", "public-hidden"]
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_cluster_template_by_uuid(admin_ctx, templates["private"].uuid)


def test_all_projects_sees_everything(dbapi, templates):
    everything = context.RequestContext(project_id="x", is_admin=True, all_projects=True)
    assert len(dbapi.get_cluster_template_list(everything)) == len(templates)


def test_public_name_clash_is_ambiguous(dbapi, ctx, templates):
    utils.create_cluster_template(name="public")
    with pytest.raises(exception.AmbiguousName):
        dbapi.get_cluster_template_by_name(ctx, "public")


def test_destroy_referenced_template_is_refused(dbapi, ctx):
    template = utils.create_cluster_template()
    cluster = utils.create_cluster(cluster_template_id=template.uuid)
    with pytest.raises(exception.ClusterTemplateReferenced):
        dbapi.destroy_cluster_template(template.uuid)
    assert dbapi.get_cluster_template_by_uuid(ctx, template.uuid)
    dbapi.destroy_cluster(cluster.uuid)
    dbapi.destroy_cluster_template(template.id)
    with pytest.raises(exception.ResourceNotFound):
        dbapi.get_cluster_template_by_uuid(ctx, template.uuid)
    with pytest.raises(exception.ResourceNotFound):
        dbapi.destroy_cluster_template(template.uuid)
