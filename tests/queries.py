"""The number of database queries a page costs, for the tests that keep it bounded."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """The queries of a GET of `url` once the per-process caches (site root paths, content types) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)
