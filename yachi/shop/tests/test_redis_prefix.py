"""Two deployments sharing one Redis (``YACHI_REDIS_PREFIX``) never read each other's
flash-sale places: the same sale id under another prefix is another sale."""

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import UserFactory
from yachi.shop.flash import store as flash_store
from yachi.shop.tests.test_flash import make_sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_store():
    if not flash_store.enabled():
        pytest.skip("flash sales do not use Redis here")
    r = flash_store.client()
    r.flushdb()
    yield r
    r.flushdb()


def test_two_prefixes_on_one_redis_keep_their_own_stock(world, redis_store):
    sale = make_sale(world.clinic_a, places=1, limit=1)
    first, second = UserFactory.create_batch(2)
    now = timezone.now()

    with override_settings(YACHI_REDIS_PREFIX="deployment-a"):
        assert flash_store.load(sale, [])
        taken = flash_store.reserve(sale_id=sale.pk, buyer_id=first.pk, token="a1", now=now)
        assert taken.status == "ok"
        refused = flash_store.reserve(sale_id=sale.pk, buyer_id=second.pk, token="a2", now=now)
        assert refused.status == "sold_out"

    with override_settings(YACHI_REDIS_PREFIX="deployment-b"):
        # Deployment b's sale with the same id is not loaded: a's sold-out stock is not its.
        assert flash_store.remaining(sale.pk) is None
        assert (
            flash_store.reserve(sale_id=sale.pk, buyer_id=second.pk, token="b1", now=now).status
            == "not_loaded"
        )
        assert flash_store.load(sale, [])
        assert (
            flash_store.reserve(sale_id=sale.pk, buyer_id=second.pk, token="b1", now=now).status
            == "ok"
        )
        assert set(flash_store.state(sale.pk).held) == {"b1"}
        assert redis_store.xlen(flash_store.STREAM) == 1

    with override_settings(YACHI_REDIS_PREFIX="deployment-a"):
        assert set(flash_store.state(sale.pk).held) == {"a1"}
        assert redis_store.xlen(flash_store.STREAM) == 1
    assert all(
        key.startswith((b"deployment-a:", b"deployment-b:"))
        for key in redis_store.scan_iter("*flash*")
    )


def test_the_cache_writes_under_the_prefix(redis_store):
    from django.conf import settings
    from django.core.cache import cache

    cache.set("prefix-probe", 1)
    assert [key.split(b":")[0] for key in redis_store.keys("*prefix-probe")] == [
        settings.YACHI_REDIS_PREFIX.encode()
    ]
