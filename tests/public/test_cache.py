"""The public page cache (public/cache.py): a repeated anonymous GET costs no page rendering, and every
change that shows on a public page shows on the very next request."""

import datetime
import io
import os
import re

import pytest
import redis
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from cms.redis_cache import SharedClientRedisCache
from documents.models import DocumentKind, GeneratedDocument
from networks.models import NetworkLevel, NetworkPage
from networks.tree import TreeLoader
from public import cache as page_cache
from registry import services
from tests.factories import add_charter

from .conftest import make_minutes, tambons

HIT = "hit"


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return response


def cached_twice(client, url):
    """GET `url` twice; the second answer comes from the cache. Returns the second response's text."""
    first = get(client, url)
    assert first.get("X-Public-Cache") == "miss", url
    second = get(client, url)
    assert second.get("X-Public-Cache") == HIT, url
    assert second.content == first.content
    return second.content.decode()


def fresh(client, url, status=200):
    """The next GET renders again (the entry was invalidated) and returns the text."""
    response = get(client, url, status)
    assert response.get("X-Public-Cache") != HIT, url
    return response.content.decode()


def commit_fixtures():
    """Run the commit callbacks the fixtures queued, as if their transaction had committed before the
    test's requests (inside pytest-django's transaction they would wait for ever)."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        callback()


@pytest.fixture
def signed_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("cache-admin", "admin@example.com", "pw-cache-admin")
    client.force_login(user)
    return client


def public_urls(world):
    a = world["networks"][0]
    entry = world["entry"]
    return [
        "/", "/en/", a.url, "/en" + a.url, world["charter"].url, world["minutes"].url, world["plan"].url,
        "/registry/", "/registry/?status=revoked", "/registry/registry.csv", "/registry/registry.json",
        f"/registry/{entry.pk}/versions/", "/verify/",
        "/api/v1/", "/api/v1/networks/?level=tambon&limit=5", f"/api/v1/networks/{a.pk}/", "/api/v1/charters/",
        f"/api/v1/charters/{world['charter'].pk}/", "/api/v1/registry/", f"/api/v1/registry/{entry.registration_number}/",
    ]


@pytest.mark.django_db
class TestServedFromTheCache:
    def test_second_anonymous_get_runs_at_most_two_queries(self, client, world, django_assert_max_num_queries):
        for url in public_urls(world):
            first = get(client, url)
            assert first["X-Public-Cache"] == "miss", url
            with django_assert_max_num_queries(2):
                second = get(client, url)
            assert second["X-Public-Cache"] == HIT, url
            assert second.content == first.content, url
            assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"], url
            assert second["ETag"] == first["ETag"], url
            assert not second.cookies, url

    def test_language_and_host_are_part_of_the_key(self, client, world):
        thai = cached_twice(client, "/")
        english = get(client, "/en/")
        assert english["X-Public-Cache"] == "miss"
        assert '<html lang="th">' in thai and '<html lang="en">' in english.content.decode()
        other_host = get(client, "/", HTTP_HOST="localhost")
        assert other_host["X-Public-Cache"] == "miss"
        assert "http://localhost/" in get(client, "/api/v1/", HTTP_HOST="localhost").content.decode()

    def test_conditional_get_answers_304(self, client, world):
        url = world["charter"].url
        first = get(client, url)
        not_modified = get(client, url, status=304, HTTP_IF_NONE_MATCH=first["ETag"])
        assert not_modified.content == b"" and not_modified["ETag"] == first["ETag"]
        # The first (stored) answer honours it too, and another ETag gets the page.
        caches["public"].clear()
        get(client, url, status=304, HTTP_IF_NONE_MATCH=first["ETag"])
        assert get(client, url)["X-Public-Cache"] == HIT
        assert get(client, url, HTTP_IF_NONE_MATCH='"other"').content == first.content
        # After a change the old ETag no longer matches.
        charter = world["charter"]
        charter.preamble = "อาศัยมติที่ประชุมสมัชชาเครือข่ายครั้งที่ ๒"
        charter.save_revision().publish()
        changed = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200 and changed["X-Public-Cache"] == "miss"

    def test_query_strings_the_view_does_not_read_are_not_cached(self, client, world):
        cached_twice(client, "/registry/?province=57&status=registered")
        # Same parameters in another order: the same entry.
        assert get(client, "/registry/?status=registered&province=57")["X-Public-Cache"] == HIT
        for url in ("/registry/?utm_source=x", "/registry/?page=" + "9" * 80):
            get(client, url)
            assert "X-Public-Cache" not in get(client, url), url
        # Search is left uncached: one-off keys, and its results depend on every page.
        for _ in range(2):
            assert "X-Public-Cache" not in get(client, "/search/?q=ข้อบังคับ")


@pytest.mark.django_db
class TestNeverStale:
    def test_a_registration_shows_at_once_everywhere(self, client, world, registrar):
        e = tambons(6)[5]
        charter = add_charter(e, version_label="พ.ศ. ๒๕๖๙", publish=True)
        urls = [charter.url, e.url, "/registry/", "/registry/registry.csv", "/registry/registry.json",
                "/api/v1/registry/", f"/api/v1/charters/{charter.pk}/", f"/api/v1/networks/{e.pk}/"]
        home_before = cached_twice(client, "/")
        for url in urls:
            cached_twice(client, url)

        entry = services.register(charter, registrar, on_date=datetime.date(2026, 1, 15))

        for url in urls:
            assert entry.registration_number in fresh(client, url), url
        # The counts and newest registrations on the home page: two organizations stand now, not one.
        assert "<dd>1</dd>" in home_before and entry.registration_number not in home_before
        home = fresh(client, "/")
        assert "<dd>2</dd>" in home and entry.registration_number in home
        # Networks elsewhere in the tree keep their entries.
        assert get(client, world["networks"][0].url)["X-Public-Cache"] == "miss"
        assert get(client, world["networks"][0].url)["X-Public-Cache"] == HIT

    def test_counts_kept_between_renderings_follow_the_registry_and_the_tree(self, signed_in, world, registrar):
        """A signed-in reader's pages are rendered every time (never from the page cache), but the counts
        on them come from the public cache (public.cache.remember) until something they count changes."""

        def counts(html):
            return [int(n) for n in re.findall(r"<dd>(\d+)</dd>", html)[:2]]  # networks, registered

        e, f = tambons(6)[4:6]
        charter = add_charter(f, version_label="พ.ศ. ๒๕๖๙", publish=True)
        commit_fixtures()
        networks, registered = counts(get(signed_in, "/").content.decode())
        with CaptureQueriesContext(connection) as rendering:
            assert counts(get(signed_in, "/").content.decode()) == [networks, registered]
        assert not any("GROUP BY" in q["sql"] and "province_code" in q["sql"] for q in rendering.captured_queries)

        services.register(charter, registrar, on_date=datetime.date(2026, 1, 15))
        assert counts(get(signed_in, "/").content.decode()) == [networks, registered + 1]
        e.unpublish()
        assert counts(get(signed_in, "/").content.decode()) == [networks - 1, registered + 1]
        # The same on the province's own page: its district row counts one tambon fewer.
        province = NetworkPage.objects.get(level=NetworkLevel.PROVINCE, province_code=e.province_code)
        assert get(signed_in, province.url).status_code == 200

    def test_an_amendment_shows_at_once(self, client, world, registrar):
        charter = world["charter"]
        before = cached_twice(client, charter.url)
        charter.version_label = "แก้ไขเพิ่มเติมครั้งที่ ๒ พ.ศ. ๒๕๖๙"
        charter.chapters = [("chapter", {"title": "บททั่วไป", "clauses": ["ข้อความแก้ไขครั้งที่สอง"]})]
        revision = charter.save_revision()
        # Registered without publishing: only the registry knows of it.
        services.register(charter, registrar, revision=revision, on_date=datetime.date(2026, 2, 1))
        assert "แก้ไขเพิ่มเติมครั้งที่ ๒" not in before
        assert "แก้ไขเพิ่มเติมครั้งที่ ๒" in fresh(client, charter.url)
        assert "แก้ไขเพิ่มเติมครั้งที่ ๒" in fresh(client, f"/api/v1/registry/{world['entry'].registration_number}/")

    def test_revocation_banner_shows_at_once(self, client, world, registrar):
        charter, entry = world["charter"], world["entry"]
        assert "banner--revoked" not in cached_twice(client, charter.url)
        assert '"status": "registered"' in cached_twice(client, f"/api/v1/registry/{entry.registration_number}/")
        services.revoke(entry, registrar, "ไม่ส่งรายงานประจำปี", on_date=datetime.date(2026, 3, 1))
        assert "banner--revoked" in fresh(client, charter.url)
        assert '"status": "revoked"' in fresh(client, f"/api/v1/registry/{entry.registration_number}/")

    def test_an_announcement_shows_in_the_registry_group(self, client, world, registrar):
        url = "/api/v1/registry/"
        cached_twice(client, url)
        services.issue_announcement(registrar)
        fresh(client, url)

    def test_publishing_minutes_lists_them_on_the_network_and_its_ancestors(self, client, world):
        a = world["networks"][0]
        district = a.get_parent()
        assert "ประชุมใหญ่ครั้งพิเศษ" not in cached_twice(client, a.url)
        cached_twice(client, district.url)
        cached_twice(client, "/api/v1/networks/")
        sibling = NetworkPage.objects.sibling_of(a, inclusive=False).live().first()
        cached_twice(client, sibling.url)

        make_minutes(a, number=3, date=datetime.date(2025, 8, 1), title="ประชุมใหญ่ครั้งพิเศษ")

        assert "ประชุมใหญ่ครั้งพิเศษ" in fresh(client, a.url)
        fresh(client, district.url)
        fresh(client, "/api/v1/networks/")
        # A sibling shows nothing of it: its entry stands.
        assert get(client, sibling.url)["X-Public-Cache"] == HIT

    def test_renaming_a_network_changes_the_breadcrumbs_below_it(self, client, world):
        a = world["networks"][0]
        district = a.get_parent().specific
        cached_twice(client, world["minutes"].url)
        district.title = "อำเภอที่เปลี่ยนชื่อแล้ว"
        district.save_revision().publish()
        assert "อำเภอที่เปลี่ยนชื่อแล้ว" in fresh(client, world["minutes"].url)

    def test_unpublished_page_404s_at_once(self, client, world):
        minutes, network = world["minutes"], world["networks"][0]
        cached_twice(client, minutes.url)
        assert minutes.title in cached_twice(client, network.url)
        minutes.unpublish()
        fresh(client, minutes.url, status=404)
        assert f'href="{minutes.url}"' not in fresh(client, network.url)

    def test_moved_page_leaves_its_old_address_at_once(self, client, world):
        a = world["networks"][0]
        old_url, old_district = a.url, a.get_parent()
        new_district = NetworkPage.objects.filter(level=NetworkLevel.DISTRICT).exclude(pk=old_district.pk).first()
        cached_twice(client, old_url)
        cached_twice(client, world["charter"].url)
        assert a.title in cached_twice(client, old_district.url)
        cached_twice(client, new_district.url)

        Page.objects.get(pk=a.pk).move(new_district, pos="last-child")
        a.refresh_from_db()

        assert a.url != old_url
        # Wagtail left a permanent redirect at the old address.
        fresh(client, old_url, status=301)
        assert get(client, old_url, status=301)["Location"] == a.url
        fresh(client, world["charter"].url, status=301)
        assert a.title in fresh(client, a.url)
        assert a.title not in fresh(client, old_district.url)
        assert a.title in fresh(client, new_district.url)

    def test_deleted_page_404s_at_once(self, client, world):
        minutes, network = world["minutes"], world["networks"][0]
        url = minutes.url
        cached_twice(client, url)
        cached_twice(client, network.url)
        Page.objects.get(pk=minutes.pk).delete()
        fresh(client, url, status=404)
        assert f'href="{url}"' not in fresh(client, network.url)

    def test_a_view_restriction_hides_the_cached_page(self, client, world):
        network = world["networks"][0]
        cached_twice(client, world["charter"].url)
        PageViewRestriction.objects.create(page=network, restriction_type=PageViewRestriction.LOGIN)
        assert get(client, world["charter"].url, status=302).get("X-Public-Cache") != HIT

    def test_generated_pdf_link_shows_at_once(self, client, world):
        charter = world["charter"]
        assert "charter.pdf" not in cached_twice(client, charter.url)
        document = get_document_model()(title="charter")
        document.file.save("charter.pdf", ContentFile(b"%PDF-1.4"), save=False)
        document.save()
        GeneratedDocument.objects.create(kind=DocumentKind.CHARTER, content_type=charter.content_type,
                                         object_id=charter.pk, content_sha256="0" * 64, document=document)
        assert document.url in fresh(client, charter.url)

    def test_a_reader_between_the_write_and_the_commit_cannot_keep_the_old_state(
        self, client, world, registrar, django_capture_on_commit_callbacks
    ):
        """Another reader renders the old, committed state while the registrar's transaction is open and
        stores it under the versions of that moment; the bump on commit makes that entry unreadable."""
        charter, entry = world["charter"], world["entry"]
        commit_fixtures()
        key = page_cache._entry_key(get(client, charter.url).wsgi_request)
        with django_capture_on_commit_callbacks() as callbacks:
            services.revoke(entry, registrar, "ไม่ส่งรายงานประจำปี", on_date=datetime.date(2026, 3, 1))
            # The other reader: the old page, stored under the versions current inside the transaction.
            stored = caches["public"].get(key)
            stored["versions"] = page_cache.current_versions(stored["versions"])
            caches["public"].set(key, stored)
            assert "banner--revoked" not in get(client, charter.url).content.decode()
        # The commit: only the cache's own callback (the revocation's certificate task would invalidate
        # the page too, and hide a missing commit-time bump).
        pending = [c for c in callbacks if isinstance(c, page_cache._PendingInvalidation)]
        assert len(pending) == 1
        pending[0]()
        assert "banner--revoked" in fresh(client, charter.url)


@pytest.mark.django_db
class TestNeverCached:
    def test_signed_in_user_is_never_served_the_anonymous_copy(self, client, signed_in, world):
        anonymous = Client()
        charter = world["charter"]
        cached_twice(anonymous, charter.url)
        # A change that sends no signal (a bulk update): the anonymous entry is now out of date on purpose.
        Page.objects.filter(pk=charter.pk).update(title="ชื่อที่เห็นเฉพาะเมื่อไม่ได้ใช้แคช")
        response = get(signed_in, charter.url)
        assert "ชื่อที่เห็นเฉพาะเมื่อไม่ได้ใช้แคช" in response.content.decode()
        assert "X-Public-Cache" not in response
        assert "private" in response["Cache-Control"]

    def test_signed_in_user_never_populates_the_cache(self, client, signed_in, world):
        for url in (world["charter"].url, "/registry/", "/api/v1/registry/"):
            get(signed_in, url)
            get(signed_in, url)
            assert Client().get(url)["X-Public-Cache"] == "miss", url

    def test_a_preview_is_not_cached(self, client, signed_in, world):
        charter = world["charter"]
        edit = f"/admin/pages/{charter.pk}/edit/preview/"
        data = {"title": "ร่างที่ดูตัวอย่างเท่านั้น", "version_label": charter.version_label, "slug": charter.slug,
                "preamble": "", "chapters-count": "0"}
        signed_in.post(edit, data)
        preview = signed_in.get(edit)
        assert preview.status_code == 200
        anonymous = Client()
        for _ in range(2):
            assert "ร่างที่ดูตัวอย่างเท่านั้น" not in anonymous.get(charter.url).content.decode()
        # Wagtail's preview request (without an admin's request) runs through the middlewares too.
        charter.title = "ร่างที่ดูตัวอย่างเท่านั้น"
        assert "ร่างที่ดูตัวอย่างเท่านั้น" in charter.make_preview_request().content.decode()
        assert "ร่างที่ดูตัวอย่างเท่านั้น" not in anonymous.get(charter.url).content.decode()

    def test_a_form_with_a_csrf_token_is_never_stored(self, client, world):
        url = f"/verify/{world['entry'].registration_number}/"
        for _ in range(2):
            response = get(client, url)
            assert "X-Public-Cache" not in response or response["X-Public-Cache"] != HIT
            assert "csrftoken" in response.cookies and "csrfmiddlewaretoken" in response.content.decode()
        # Pages shared by everyone carry no cookie.
        assert not get(client, "/").cookies and not get(client, "/").cookies

    def test_non_200_and_post_are_not_cached(self, client, world):
        for _ in range(2):
            assert "X-Public-Cache" not in get(client, "/networks/", status=302)
            assert get(client, "/no-such-page/", status=404).get("X-Public-Cache") != HIT
        url = f"/verify/{world['entry'].registration_number}/"
        assert "X-Public-Cache" not in client.post(url, {"text": "ข้อความ"})


REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_page_cache():
    """The production backend (Django's RedisCache) on this project's Redis database 6."""

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not running at {REDIS_URL}: CI must test the production cache backend")
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    settings = {"BACKEND": "cms.redis_cache.SharedClientRedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": "welfare-tests"}
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                                   "public": settings}):
        caches["public"].clear()
        yield caches["public"]
        caches["public"].clear()


@pytest.mark.django_db
def test_with_the_redis_backend(client, world, registrar, redis_page_cache, django_assert_max_num_queries):
    assert isinstance(redis_page_cache, SharedClientRedisCache)
    # One redis client per connection pool, not one per call (cms/redis_cache.py).
    assert redis_page_cache._cache.get_client("k") is redis_page_cache._cache.get_client("k")
    e = tambons(6)[5]
    charter = add_charter(e, publish=True)
    cached_twice(client, charter.url)
    cached_twice(client, "/")
    with django_assert_max_num_queries(2):
        assert get(client, "/")["X-Public-Cache"] == HIT
    cached_twice(client, "/api/v1/registry/")
    entry = services.register(charter, registrar, on_date=datetime.date(2026, 1, 15))
    assert entry.registration_number in fresh(client, charter.url)
    assert entry.registration_number in fresh(client, "/api/v1/registry/")
    assert get(client, "/api/v1/registry/")["X-Public-Cache"] == HIT


@pytest.mark.django_db
class TestCacheAway:
    def test_unreachable_redis_serves_uncached_and_decisions_still_commit(self, client, world, registrar,
                                                                            monkeypatch):
        # Restored after the test: the process-wide state of an unreachable cache must not leak.
        monkeypatch.setattr(page_cache, "_unreachable_until", 0.0)
        monkeypatch.setattr(page_cache, "_lost_invalidation", False)
        away = {"BACKEND": "cms.redis_cache.SharedClientRedisCache", "LOCATION": "redis://127.0.0.1:9/6",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
        with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                                       "public": away}):
            for _ in range(2):
                response = get(client, world["charter"].url)
                assert "X-Public-Cache" not in response
            services.revoke(world["entry"], registrar, "ไม่ส่งรายงานประจำปี", on_date=datetime.date(2026, 3, 1))
            assert "banner--revoked" in get(client, world["charter"].url).content.decode()

    def test_an_invalidation_lost_while_away_invalidates_everything_once_back(self, client, world, registrar,
                                                                                monkeypatch):

        monkeypatch.setattr(page_cache, "_unreachable_until", 0.0)
        monkeypatch.setattr(page_cache, "_lost_invalidation", False)
        charter = world["charter"]
        cached_twice(client, charter.url)
        public = caches["public"]

        def refuse(*args, **kwargs):
            raise redis.exceptions.ConnectionError("Redis is away")

        with monkeypatch.context() as away:
            away.setattr(public, "incr", refuse)
            away.setattr(public, "set", refuse)
            services.revoke(world["entry"], registrar, "ไม่ส่งรายงานประจำปี", on_date=datetime.date(2026, 3, 1))
        assert page_cache._lost_invalidation
        # Redis is back (and the few seconds of leaving it alone are over).
        monkeypatch.setattr(page_cache, "_unreachable_until", 0.0)
        assert "banner--revoked" in fresh(client, charter.url)
        assert not page_cache._lost_invalidation


@pytest.mark.django_db
def test_clear_public_cache_after_a_bulk_change_that_sends_no_signal(client, world):
    cached_twice(client, "/")
    assert '"level": "tambon"' in cached_twice(client, "/api/v1/networks/?level=tambon")
    NetworkPage.objects.filter(level=NetworkLevel.TAMBON).update(live=False)
    assert get(client, "/")["X-Public-Cache"] == HIT
    call_command("clear_public_cache", stdout=io.StringIO())
    fresh(client, "/")
    assert '"level": "tambon"' not in fresh(client, "/api/v1/networks/?level=tambon")


@pytest.mark.django_db
def test_a_bulk_load_of_the_tree_invalidates_everything(client, world):
    """The tree loader writes pages without a signal each; its one bulk signal clears the cache."""

    commit_fixtures()
    before = cached_twice(client, "/api/v1/networks/?level=province")
    TreeLoader(search_index=False).load(["11"])
    after = fresh(client, "/api/v1/networks/?level=province")
    assert after != before
    assert "สมุทรปราการ" in after and "สมุทรปราการ" not in before


@pytest.mark.django_db
def test_turned_off_every_request_renders(client, world, settings):
    settings.PUBLIC_CACHE_ENABLED = False
    for _ in range(2):
        response = get(client, world["charter"].url)
        assert "X-Public-Cache" not in response


class RecordingBackend(BaseBackend):
    """A frontend cache that records what it is asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


@pytest.mark.django_db
def test_a_configured_frontend_cache_is_purged_after_the_commit(world, registrar, settings,
                                                                django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}
    commit_fixtures()
    RecordingBackend.purged.clear()
    charter, entry = world["charter"], world["entry"]
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(entry, registrar, "ไม่ส่งรายงานประจำปี", on_date=datetime.date(2026, 3, 1))
    purged = set(RecordingBackend.purged)
    root = "http://localhost"
    for path in ("/registry/", "/registry/registry.csv", f"/verify/{entry.registration_number}/",
                 f"/api/v1/registry/{entry.registration_number}/", charter.url, world["networks"][0].url, "/"):
        assert root + path in purged and root + "/en" + path in purged, path
    # Not a sibling's page.
    assert root + world["networks"][1].url not in purged
