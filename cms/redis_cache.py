"""Django's Redis cache with one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call (`get_client`), and redis-py's
constructor fills a table of some 170 response callbacks each time: a third of the CPU of a page served
from the public page cache (two cache reads). A `redis.Redis` over a connection pool is safe to share
between threads, so one per pool does the same work.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
