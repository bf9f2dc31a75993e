"""A small tree with a document of each kind, a registered organization and a user for every role that
fills in a form, built once per module (each test's writes roll back to it). The bad-input and XSS
tests judge a refusal by the database: every table's row count and the edited object, before and after."""

import datetime
import functools

import django.test.client
import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from wagtail.models import Page

from networks.models import HomePage
from registry import services
from tests.factories import (
    add_charter,
    add_minutes,
    add_plan,
    make_committee_member,
    make_provincial_officer,
    make_registrar,
    small_tree,
)
from tests.public.conftest import kept_while_in_scope

# Rows that come and go with a visit, not with what a form submits: the session of the logged-in
# client, the admin's per-user profile, its "who else is editing" sessions, and the comment
# notifications subscription Wagtail's editor creates when it is opened.
VISIT_TABLES = {
    "sessions.Session", "wagtailusers.UserProfile", "wagtailadmin.EditingSession", "wagtailcore.PageSubscription",
}


@functools.cache
def _counted_models():
    """The models counted and the one query that counts their rows (both fixed once the apps are loaded)."""
    models = [
        model for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label not in VISIT_TABLES
    ]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(model._meta.db_table)}" for index, model in enumerate(models)
    )
    return models, sql


def table_counts():
    """{model label: rows} for every table of the project and the packages it uses, in one query (a
    count per table would be some 150 queries per snapshot, two snapshots per bad input)."""
    models, sql = _counted_models()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = dict(cursor.fetchall())
    # In the models' order, not the rows': PostgreSQL may return the parts of a UNION ALL in any order
    # (a parallel append), which once paired one table's count with another's label.
    return {model._meta.label: rows[index] for index, model in enumerate(models)}


def page_state(page):
    """Everything a page stores, its child rows included (modelcluster's serialization), and its
    revisions."""
    page = Page.objects.get(pk=page.pk).specific
    return page.serializable_data(), list(page.revisions.values_list("pk", flat=True))


def build_world(home):
    tree = small_tree(home)
    network = tree["chiang_rai"]
    tambon = tree["wiang"]
    users = {
        "chair": make_committee_member(network, "hd_chair", "chair", email="chair@example.org"),
        "officer": make_provincial_officer("hd_officer", "57", email="officer@example.org"),
        "registrar": make_registrar("hd_registrar", email="registrar@example.org"),
    }
    chair = users["chair"]
    charter = add_charter(network, author=chair)
    minutes = add_minutes(
        network, 1, date=datetime.date(2026, 3, 1), author=chair, committee_size=5,
        present=[{"name": "นายประธาน ใจดี", "position": "ประธาน"}],
        absent=[{"name": "นางขาด ลา", "position": "กรรมการ", "reason": "ป่วย"}],
        agenda=[{"title": "เรื่องแจ้งเพื่อทราบ", "summary": "ประธานแจ้ง", "resolution": "รับทราบ"}],
    )
    # A second meeting of the same year: the first one's number is taken.
    second_minutes = add_minutes(network, 2, date=datetime.date(2026, 4, 1), author=chair)
    plan = add_plan(network, 2569, author=chair, activities=[{
        "title": "ติดตามการบริหารกองทุน", "area": "data", "start_date": datetime.date(2026, 5, 20),
        "end_date": datetime.date(2026, 6, 15), "budget": 12000, "budget_source": "codi",
        "responsible_person": "นายประธาน ใจดี", "status": "planned", "progress": 0,
    }])
    registered = add_charter(tambon, version_label="พ.ศ. ๒๕๖๗", publish=True)
    entry = services.register(registered, users["registrar"], on_date=datetime.date(2024, 6, 1))
    public_minutes = add_minutes(tambon, 1, date=datetime.date(2025, 5, 14), publish=True)
    public_plan = add_plan(tambon, 2568, publish=True)
    return {
        **tree, **users, "sessions": signed_in_sessions(users), "network": network, "charter": charter,
        "minutes": minutes,
        "second_minutes": second_minutes, "plan": plan, "registered": registered, "entry": entry,
        "public_minutes": public_minutes, "public_plan": public_plan,
    }


def signed_in_sessions(users):
    """{key: the session cookie of the user, signed in} (None: the public): a test's savepoint rolls back
    whatever its requests write to the session, so each test starts signed in without signing in again
    (a sign-in writes the session, the access log and the last login)."""
    sessions = {}
    for key, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.fixture(scope="module")
def hardening_world(django_db_setup, django_db_blocker):
    def build():
        return build_world(HomePage.objects.get())

    with kept_while_in_scope(django_db_blocker, build) as world:
        yield world


@pytest.fixture
def world(hardening_world, db):
    return hardening_world


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    cache.clear()
    translation.activate("th")
    yield
    cache.clear()
    translation.activate("th")


def _template_not_kept(store, signal, sender, template, context, **kwargs):
    pass


@pytest.fixture(scope="module")
def rendered_templates_not_kept():
    """The test client copies the context of every template a response renders (for `response.context`
    and `response.templates`), and an admin page renders hundreds; for the modules that read neither,
    that copying is skipped. The pages are rendered all the same."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django.test.client, "store_rendered_templates", _template_not_kept)
        yield


@pytest.fixture
def browser_client():
    """A client that answers a view's exception with the 500 page, as a server does, instead of raising."""
    return Client(raise_request_exception=False)
