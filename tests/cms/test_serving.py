"""The production settings served the way a deployment serves them (`make serve`): collectstatic, then
gunicorn with cms/gunicorn.conf.py, on a scratch database of the engine DATABASE_URL names (an SQLite
file without it). A user following the README gets a styled public site and admin, a health URL for the
proxy, and no direct access to uploaded documents.

Under CI (CI=true) a missing service is a failure, never a skip.
"""

import os
import re
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest
from django.db import OperationalError

from tests import database_template
from thaisearch import analysis

from .server import ProductionServer, ServiceMissing, redis_cache_url, scratch_database

# Under pytest-xdist (`--dist loadgroup`) the module's tests share one worker, so the server starts once.
pytestmark = pytest.mark.xdist_group("production-server")

ONE_YEAR = 365 * 24 * 60 * 60


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url):
    """(status, headers, body) of a GET, redirects not followed."""
    try:
        with OPENER.open(url, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Stylesheets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.hrefs.append(attrs["href"])


def stylesheets(html):
    parser = Stylesheets()
    parser.feed(html.decode())
    return parser.hrefs


def max_age(headers):
    match = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
    return int(match.group(1)) if match else 0


# Production needs Redis (the page cache) and the database of DATABASE_URL (an SQLite file without it).
services = pytest.mark.services


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("production")
    try:
        cache_url = redis_cache_url()
        database_url, drop_database = scratch_database(workdir, "serving")
    except ServiceMissing as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs this service: {exc}")
        pytest.skip(str(exc))
    if database_url.startswith("sqlite:///"):
        # Already migrated (tests/database_template.py): `migrate` in prepare() then finds nothing to
        # do, as on a site that is up to date. On PostgreSQL (CI) it migrates the empty database.
        database_template.copy_template_to(database_url.removeprefix("sqlite:///"))
    production = ProductionServer(workdir, database_url, cache_url)
    try:
        # The migrations create the home page and the default site. collectstatic's output under these
        # settings is kept between runs (tests/database_template.py) and copied.
        production.prepare(collected=database_template.collected_static(production.env))
        # An uploaded document, where Wagtail's FileSystemStorage keeps it.
        (production.media_root / "documents").mkdir(parents=True)
        (production.media_root / "documents" / "minutes-draft.pdf").write_bytes(b"%PDF-1.4 not public\n")
        yield production.start()
    finally:
        production.stop()
        drop_database()


def assert_served_stylesheets(server, html):
    hrefs = stylesheets(html)
    assert hrefs, "the page links no stylesheet"
    for href in hrefs:
        status, headers, body = fetch(server.base_url + href)
        assert status == 200, f"{href}: {status}"
        assert headers.get_content_type() == "text/css", href
        assert body
        # Hashed names: a new release changes the name, so the old one may be cached for a year.
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), href
        assert max_age(headers) >= ONE_YEAR, f"{href}: {headers.get('Cache-Control')}"


@services
@pytest.mark.parametrize("path, marker, stylesheet", [
    ("/", b'<html lang="th">', "/css/site."),  # the public home page
    ("/admin/login/", b'name="password"', "/wagtailadmin/css/"),  # the admin's login
])
def test_page_is_styled(server, path, marker, stylesheet):
    status, _headers, html = fetch(server.base_url + path)
    assert status == 200, server.read_log()
    assert marker in html
    assert_served_stylesheets(server, html)
    assert any(stylesheet in href for href in stylesheets(html))


@services
def test_static_files_are_compressed(server):
    href = next(h for h in stylesheets(fetch(server.base_url + "/admin/login/")[2]) if "wagtailadmin" in h)
    request = urllib.request.Request(server.base_url + href, headers={"Accept-Encoding": "gzip"})
    with OPENER.open(request, timeout=20) as response:
        assert response.headers["Content-Encoding"] == "gzip"


@services
def test_health_url(server):
    status, headers, body = fetch(server.base_url + "/healthz")
    assert (status, body) == (200, b"ok\n")
    assert "no-store" in headers["Cache-Control"]
    assert "Set-Cookie" not in headers


@services
def test_uploaded_documents_are_not_served_directly(server):
    # Documents go through Wagtail's serve view (/documents/<id>/<name>), which checks privacy.
    status, _headers, body = fetch(server.base_url + "/media/documents/minutes-draft.pdf")
    assert status == 404
    assert b"not public" not in body


@services
def test_workers_as_configured(server):
    # GUNICORN_WORKERS=2, forked from the master that preloaded and warmed the app.
    # Polled briefly: a worker being replaced (gunicorn's max-requests) shows as one or three for a moment.
    deadline = time.monotonic() + 10
    while len(pids := server.worker_pids()) != 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(pids) == 2, (pids, server.read_log()[-2000:])


def test_warm_up_segments_thai_before_any_request():
    # Imported here: importing cms.wsgi builds the WSGI application, which collecting the tests should not do.
    from cms.wsgi import warm_up

    analysis._segment_thai.cache_clear()
    warm_up()
    assert analysis._segment_thai.cache_info().currsize > 0


def test_health_url_says_503_without_database(client, monkeypatch):
    def no_database(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("cms.health.connection.cursor", no_database)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Cache-Control"].count("no-store") == 1
