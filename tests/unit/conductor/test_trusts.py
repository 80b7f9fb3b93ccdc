"""When the conductor makes and removes a bay's trust (Keystone itself is
exercised in tests/functional/auth/test_keystone.py)."""

from __future__ import annotations

import types

import pytest

from magnum.common import context, exception
from magnum.conductor import trusts
from magnum.drivers.fake import driver as fake


def bay(**fields):
    values = {
        "uuid": "c1",
        "labels": {},
        "trust_id": None,
        "trustee_user_id": None,
        "trustee_username": None,
        "trustee_password": None,
    }
    values.update(fields)
    saved = []
    return types.SimpleNamespace(save=lambda: saved.append(True), saved=saved, **values)


def task(cluster, token=None):
    ctx = context.RequestContext(user_id="u", project_id="p", auth_token=token)
    return types.SimpleNamespace(cluster=cluster, driver=fake.FakeDriver(), context=ctx)


def test_no_trust_unless_the_driver_asks():
    cluster = bay()
    trusts.ensure(task(cluster))
    assert cluster.trust_id is None and not cluster.saved


def test_a_bay_that_has_its_trust_keeps_it():
    cluster = bay(labels={"fake_trust": "1"}, trust_id="t1")
    trusts.ensure(task(cluster))
    assert cluster.trust_id == "t1" and not cluster.saved


def test_a_trust_without_a_token_fails_clearly():
    cluster = bay(labels={"fake_trust": "1"})
    with pytest.raises(exception.KeystoneFailure, match="no token|credentials"):
        trusts.ensure(task(cluster))
    assert cluster.trust_id is None


def test_release_without_a_trust_touches_nothing():
    trusts.release(bay())  # no Keystone configured: would raise if it called it
