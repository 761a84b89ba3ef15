"""Flash sales a process read in the last moments, so that a refused reserve (sold out,
not started, ended) reads no sale row: with Redis, a refusal then costs no SQL at all.

Only the request's first look at the sale comes from here: the Redis script checks its
own copy of the window and places, which every change updates after its commit, and
``reservation_create`` takes the place by a conditional update on the row (active, in
its window, places left); without Redis it reads the row again first. What it copies
from a remembered sale (price, title, limit, clinic) never changes once a sale is made. A remembered sale can therefore only refuse late or
let a request through to those checks; it never sells what the database would not. A
pause or resume in this process forgets at once; other processes within
``YACHI_FLASH_SALE_CACHE_SECONDS`` (0: never remember).
"""

import copy
import time

from django.conf import settings

from yachi.shop.flash.models import FlashSale
from yachi.shop.flash.selectors import sale_by_id as _read

_MAX_ENTRIES = 1000
_sales: dict[str, tuple[float, FlashSale]] = {}


def sale_by_id(sale_id) -> FlashSale:
    """``flash_selectors.sale_by_id``, remembered for a few seconds."""
    seconds = settings.YACHI_FLASH_SALE_CACHE_SECONDS
    if seconds <= 0:
        return _read(sale_id)
    key = str(sale_id)
    now = time.monotonic()
    found = _sales.get(key)
    if found is not None and found[0] > now:
        return copy.copy(found[1])
    sale = _read(sale_id)
    if len(_sales) >= _MAX_ENTRIES:
        _sales.clear()
    _sales[key] = (now + seconds, sale)
    return copy.copy(sale)


def forget() -> None:
    _sales.clear()
