"""The admin's page listing of a network runs the same number of queries however many of its
documents are in review (a committee member has no publish right, which used to cost Wagtail two
descendant queries per row)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.models import CharterPage
from workflows.models import workflow_for

from .conftest import login


def _documents_in_review(world, count, start):
    for i in range(count):
        charter = world["net_a"].add_child(
            instance=CharterPage(title=f"ร่างข้อบังคับ {start + i}", version_label="ร่าง", live=False)
        )
        charter.save_revision(user=world["member_a"])
        workflow_for(charter).start(charter, world["member_a"])


def test_listing_queries_do_not_grow_with_documents_in_review(world, client):
    url = reverse("wagtailadmin_explore", args=[world["net_a"].pk])
    counts = {}
    for user in ("member_a", "chair_a"):
        login(client, world[user])
        counts[user] = []
    for round_no in range(2):
        _documents_in_review(world, 4, start=round_no * 4)
        for user in ("member_a", "chair_a"):
            login(client, world[user])
            client.get(url)  # warm caches
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            counts[user].append(len(ctx.captured_queries))
    for user, (few, many) in counts.items():
        assert few == many, f"{user}: {few} queries with 4 documents in review, {many} with 8"
