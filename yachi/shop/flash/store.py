"""The fast copy of flash-sale places in Redis: Lua scripts that take and give back places.

Per sale (``{id}`` is the sale's database key, in braces so that a cluster keeps a
sale's keys together):

* ``<prefix>:flash:{id}:meta``   hash: places, limit, starts and ends (ms), active
* ``<prefix>:flash:{id}:held``   hash: token → "buyer:ms" for every place given out
* ``<prefix>:flash:{id}:buyers`` hash: buyer → how many places they hold

(``<prefix>`` is the deployment's ``YACHI_REDIS_PREFIX``.)

Places left are ``places - HLEN held``: a count derived from the tokens themselves,
so a counter can never drift away from what is held. Each script runs atomically, so
the check of places and of the buyer's count and the taking happen as one step.

Every place taken is also appended to one stream (``<prefix>:flash:stream``) with its
token, sale and buyer: if the request dies between Redis and the database, the worker
(``repair.stream_drain``) turns the entry into the reservation and its order.
The database remains the record of truth; ``repair.store_reconcile`` makes this
copy agree with it again after a crash, an expiry or a flushed or restarted Redis.
"""

import time
from dataclasses import dataclass
from datetime import datetime

import redis
from django.conf import settings

GROUP = "flash-orders"


def stream() -> str:
    return f"{settings.YACHI_REDIS_PREFIX}:flash:stream"


def __getattr__(name: str) -> str:
    # ``flash_store.STREAM`` follows the deployment's prefix (YACHI_REDIS_PREFIX).
    if name == "STREAM":
        return stream()
    raise AttributeError(name)


class Unavailable(Exception):
    """Redis did not answer; the database path takes over."""


def enabled() -> bool:
    return bool(settings.YACHI_FLASH_SALE_REDIS and settings.REDIS_URL)


_clients: dict[str, redis.Redis] = {}


def client() -> redis.Redis:
    url = settings.REDIS_URL
    if url not in _clients:
        # A bounded pool: in a rush, requests wait a moment for a connection instead
        # of opening hundreds at once (and failing to connect).
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=64,
            timeout=5,
            socket_timeout=5,
            socket_connect_timeout=5,
            health_check_interval=30,
        )
        _clients[url] = redis.Redis(connection_pool=pool)
    return _clients[url]


def keys(sale_id: int) -> tuple[str, str, str]:
    base = f"{settings.YACHI_REDIS_PREFIX}:flash:{{{sale_id}}}"
    return f"{base}:meta", f"{base}:held", f"{base}:buyers"


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# KEYS: meta, held, buyers, stream. ARGV: buyer, token, now (ms), sale id.
RESERVE = """
local meta = redis.call('HMGET', KEYS[1], 'places', 'limit', 'starts', 'ends', 'active')
if not meta[1] then return {'not_loaded'} end
if meta[5] ~= '1' then return {'inactive'} end
local now = tonumber(ARGV[3])
if now < tonumber(meta[3]) then return {'not_started'} end
if now >= tonumber(meta[4]) then return {'ended'} end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return {'duplicate'} end
if redis.call('HLEN', KEYS[2]) >= tonumber(meta[1]) then return {'sold_out'} end
local mine = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if mine >= tonumber(meta[2]) then return {'limit_reached'} end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1] .. ':' .. ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
local id = redis.call('XADD', KEYS[4], '*', 'token', ARGV[2], 'sale', ARGV[4], 'buyer', ARGV[1])
return {'ok', id, mine}
"""

# KEYS: held, buyers. ARGV: token. Idempotent: a token gives its place back once,
# because giving it back removes it from the held hash.
RELEASE = """
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local buyer = string.match(value, '^([^:]+)')
if redis.call('HINCRBY', KEYS[2], buyer, -1) <= 0 then redis.call('HDEL', KEYS[2], buyer) end
return 1
"""

# KEYS: meta, held, buyers. ARGV: token, buyer, ms, ... (triples). Makes places the
# database holds held here too; only when the sale is loaded (else loading does it).
ADOPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local adopted = 0
for i = 1, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1] .. ':' .. ARGV[i + 2]) == 1 then
    redis.call('HINCRBY', KEYS[3], ARGV[i + 1], 1)
    adopted = adopted + 1
  end
end
return adopted
"""

# KEYS: meta, held, buyers. ARGV: places, limit, starts, ends, active, then triples
# token, buyer, ms of the places the database holds. Only one caller loads a sale.
LOAD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
for i = 6, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1] .. ':' .. ARGV[i + 2])
  redis.call('HINCRBY', KEYS[3], ARGV[i + 1], 1)
end
redis.call('HSET', KEYS[1], 'places', ARGV[1], 'limit', ARGV[2], 'starts', ARGV[3],
  'ends', ARGV[4], 'active', ARGV[5])
return 1
"""

# KEYS: meta. ARGV: places, limit, starts, ends, active. Changes a loaded sale only:
# a half-written meta without its held places would let Redis sell them again.
SYNC = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'places', ARGV[1], 'limit', ARGV[2], 'starts', ARGV[3],
  'ends', ARGV[4], 'active', ARGV[5])
return 1
"""

# KEYS: held, buyers. Counts every buyer's places again from the held tokens.
RECOUNT = """
redis.call('DEL', KEYS[2])
local held = redis.call('HGETALL', KEYS[1])
for i = 2, #held, 2 do
  redis.call('HINCRBY', KEYS[2], string.match(held[i], '^([^:]+)'), 1)
end
return #held / 2
"""

_scripts: dict[tuple[str, str], object] = {}


def _script(source: str):
    key = (settings.REDIS_URL, source)
    if key not in _scripts:
        # EVALSHA, loading the script again when Redis forgot it (a restart).
        _scripts[key] = client().register_script(source)
    return _scripts[key]


def _run(source: str, keys_: list[str], args: list) -> object:
    try:
        return _script(source)(keys=keys_, args=args)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        # (A pool with no free connection in time raises ConnectionError too.)
        raise Unavailable(str(exc)) from exc


@dataclass(frozen=True)
class Outcome:
    status: str  # ok, duplicate, not_loaded, inactive, not_started, ended, sold_out, limit_reached
    entry_id: str = ""
    # With "ok": how many places the buyer held in the sale before this one, per Redis.
    held_before: int | None = None


# Sales the script found sold out in this process, and until when that is believed
# (``time.monotonic()``): a refusal in a rush then asks Redis nothing (ADR 0028).
_sold_out: dict[tuple[str, str, int], float] = {}


def _sold_out_key(sale_id: int) -> tuple[str, str, int]:
    return (settings.REDIS_URL, settings.YACHI_REDIS_PREFIX, sale_id)


def known_sold_out(sale_id: int) -> bool:
    """Whether the script said "sold out" for this sale in the last
    ``YACHI_FLASH_SOLD_OUT_SECONDS``, with no place given back in this process since."""
    until = _sold_out.get(_sold_out_key(sale_id))
    if until is None:
        return False
    if time.monotonic() < until:
        return True
    _sold_out.pop(_sold_out_key(sale_id), None)
    return False


def _places_may_have_changed(sale_id: int) -> None:
    _sold_out.pop(_sold_out_key(sale_id), None)


def forget_sold_out() -> None:
    _sold_out.clear()


def reserve(*, sale_id: int, buyer_id: int, token: str, now: datetime) -> Outcome:
    meta, held, buyers = keys(sale_id)
    answer = _run(RESERVE, [meta, held, buyers, stream()], [buyer_id, token, ms(now), sale_id])
    status = answer[0].decode()
    entry = answer[1].decode() if len(answer) > 1 else ""
    held_before = int(answer[2]) if len(answer) > 2 else None
    if status == "sold_out" and settings.YACHI_FLASH_SOLD_OUT_SECONDS > 0:
        if len(_sold_out) >= 1000:
            _sold_out.clear()
        _sold_out[_sold_out_key(sale_id)] = time.monotonic() + settings.YACHI_FLASH_SOLD_OUT_SECONDS
    return Outcome(status, entry, held_before)


def release(*, sale_id: int, token: str) -> bool:
    _places_may_have_changed(sale_id)
    _, held, buyers = keys(sale_id)
    return bool(_run(RELEASE, [held, buyers], [token]))


def _meta_args(sale) -> list:
    return [
        sale.places,
        sale.per_person_limit,
        ms(sale.starts_at),
        ms(sale.ends_at),
        1 if sale.is_active else 0,
    ]


def _triples(places) -> list:
    return [item for token, buyer, at in places for item in (token, buyer, ms(at))]


def load(sale, places) -> bool:
    """Load ``sale`` with the places the database holds, ``(token, buyer_id, at)``."""
    _places_may_have_changed(sale.pk)
    return bool(_run(LOAD, list(keys(sale.pk)), _meta_args(sale) + _triples(places)))


def sync(sale) -> bool:
    _places_may_have_changed(sale.pk)
    return bool(_run(SYNC, [keys(sale.pk)[0]], _meta_args(sale)))


def adopt(sale_id: int, places) -> int:
    _places_may_have_changed(sale_id)
    return int(_run(ADOPT, list(keys(sale_id)), _triples(places)) or 0)


def recount(sale_id: int) -> int:
    _places_may_have_changed(sale_id)
    _, held, buyers = keys(sale_id)
    return int(_run(RECOUNT, [held, buyers], []))


def unload(sale_id: int) -> None:
    _places_may_have_changed(sale_id)
    try:
        client().delete(*keys(sale_id))
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise Unavailable(str(exc)) from exc


@dataclass(frozen=True)
class State:
    loaded: bool
    places: int
    remaining: int
    held: dict[str, tuple[int, int]]  # token → (buyer id, ms)
    buyers: dict[int, int]


def state(sale_id: int) -> State:
    """What Redis holds for a sale (for repair, tests and the console)."""
    meta, held, buyers = keys(sale_id)
    try:
        with client().pipeline(transaction=True) as pipe:
            pipe.hget(meta, "places").hgetall(held).hgetall(buyers)
            places, held_raw, buyers_raw = pipe.execute()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise Unavailable(str(exc)) from exc
    tokens = {}
    for token, value in held_raw.items():
        buyer, at = value.decode().split(":")
        tokens[token.decode()] = (int(buyer), int(at))
    return State(
        loaded=places is not None,
        places=int(places or 0),
        remaining=int(places or 0) - len(tokens),
        held=tokens,
        buyers={int(b): int(c) for b, c in buyers_raw.items()},
    )


def remaining(sale_id: int) -> int | None:
    """Places left according to Redis, or None when the sale is not loaded."""
    meta, held, _ = keys(sale_id)
    try:
        with client().pipeline(transaction=True) as pipe:
            places, count = pipe.hget(meta, "places").hlen(held).execute()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise Unavailable(str(exc)) from exc
    return None if places is None else int(places) - count


def forget_entry(entry_id: str) -> None:
    """The entry's order is in the database: the worker need not look at it."""
    client().xdel(stream(), entry_id)
