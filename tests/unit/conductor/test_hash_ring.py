import collections
import uuid

import pytest

from magnum.common import exception
from magnum.conductor import hash_ring


def test_every_key_has_one_owner_and_load_spreads():
    ring = hash_ring.HashRing(["c1", "c2", "c3"], partitions_exponent=5)
    keys = [str(uuid.uuid4()) for _ in range(3000)]
    owners = collections.Counter(ring.get_host(k) for k in keys)
    assert set(owners) == {"c1", "c2", "c3"}
    assert min(owners.values()) > 500  # each gets a fair share


def test_removing_a_host_moves_only_its_keys():
    keys = [str(uuid.uuid4()) for _ in range(2000)]
    before = hash_ring.HashRing(["c1", "c2", "c3"], 5)
    after = hash_ring.HashRing(["c1", "c2"], 5)
    for key in keys:
        if before.get_host(key) != "c3":
            assert after.get_host(key) == before.get_host(key)


def test_empty_ring_means_no_conductor():
    with pytest.raises(exception.NoConductorAvailable):
        hash_ring.HashRing([], 5).get_host("x")
