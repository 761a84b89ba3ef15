"""The channel layer on Redis, sized for hundreds of sockets in one process.

channels_redis makes one redis-py pool per event loop, and redis-py's default pool
(``ConnectionPool``, 100 connections in redis-py 8) refuses the 101st caller at once
with "Too many connections". A socket server accepting a few hundred sockets together
runs a ``group_add`` for each of them at the same moment, so most of them failed and
were closed, and the survivors waited on connections being opened by the hundred.

Here the pool is a ``BlockingConnectionPool``: at most ``max_connections`` connections
(``YACHI_CHANNEL_REDIS_CONNECTIONS``), and a caller beyond them waits for one to come
back (up to ``YACHI_CHANNEL_REDIS_WAIT_SECONDS``) instead of failing. Each command holds
a connection for a round trip (a fraction of a millisecond), the process's one receive
loop holds one for its blocking pop, so a few dozen connections serve any number of
sockets; hundreds of sockets connecting at once wait their turn for microseconds.
The connections also wait 15 s for a reply (``socket_timeout`` in the settings): redis-py
8 waits 5 s by default, exactly as long as the layer's blocking pop waits on the server,
so a reply a moment late on a loaded host raised in the receive loop and closed sockets.
The rest of the layer is channels_redis as it is (ADR 0046).
"""

from channels_redis.core import RedisChannelLayer
from redis.asyncio import BlockingConnectionPool

# A caller's wait beyond the pool, if the host entry names none.
_WAIT_SECONDS = 10


class PooledRedisChannelLayer(RedisChannelLayer):
    """channels_redis with a bounded, waiting pool per event loop.

    A host entry is a dict: ``address`` (a redis:// URL), ``max_connections``, ``timeout``
    (seconds to wait for a free connection) and any redis-py connection option."""

    def create_pool(self, index):
        host = dict(self.hosts[index])
        address = host.pop("address")
        host.setdefault("timeout", _WAIT_SECONDS)
        return BlockingConnectionPool.from_url(address, **host)
