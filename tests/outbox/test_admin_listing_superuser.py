"""The outgoing-work listing opens for a superuser too (who holds every permission, copy included)."""

import pytest
from django.urls import reverse
from wagtail.admin.menu import admin_menu, settings_menu

from outbox.models import OutboxMessage, OutboxStatus


@pytest.mark.django_db
def test_superuser_sees_the_listing_and_inspect_view(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    message = OutboxMessage.objects.create(
        task_name="outbox.tasks.send_email", payload={"to": ["a@example.org"]}, dedupe_key="k",
        status=OutboxStatus.FAILED, last_error="boom",
    )
    assert client.get("/admin/outbox/").status_code == 200
    assert client.get(f"/admin/outbox/inspect/{message.pk}/").status_code == 200


@pytest.mark.django_db
def test_superuser_opens_every_project_admin_listing(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    request = client.get(reverse("wagtailadmin_home")).wsgi_request
    urls = set()

    def collect(items):
        for item in items:
            if getattr(item, "menu_items", None) is not None:
                collect(item.menu_items)
            elif getattr(item, "menu", None) is not None:
                collect(item.menu.menu_items_for_request(request))
            elif getattr(item, "url", None):
                urls.add(item.url)

    collect(admin_menu.menu_items_for_request(request))
    collect(settings_menu.menu_items_for_request(request))
    assert "/admin/outbox/" in urls
    failures = {url: client.get(url).status_code for url in sorted(urls) if url.startswith("/admin/")}
    assert all(code == 200 for code in failures.values()), failures
