"""Thai first in the admin (issue 13): the admin's own Sarabun, Buddhist-Era dates where Wagtail shows
dates, workflow and step names in the reader's language, no raw booleans, Thai e-mails that read as
Thai. Independent of the Thai catalog's merge: assertions are on English, on data or on the B.E. year."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.templatetags.wagtailadmin_tags import human_readable_date
from wagtail.models import Task, Workflow
from wagtail.users.models import UserProfile

from tests.factories import make_user
from workflows.road import road_for

pytestmark = pytest.mark.django_db


def test_admin_css_serves_sarabun_for_thai_from_the_site_itself(client):
    # The faces are in fonts.css, which the public site shares; admin.css names the Thai family.
    fonts_path = finders.find("css/fonts.css")
    faces = re.findall(r"@font-face\s*{[^}]*}", Path(fonts_path).read_text(encoding="utf-8"))
    thai_faces = [face for face in faces if '"Sarabun Thai"' in face]
    assert len(thai_faces) == 2  # regular and bold
    for face in thai_faces:
        assert re.search(r"unicode-range:\s*U\+0E01-0E5B[^;]*;", face)  # the Thai letters only
        url = re.search(r'url\("([^"]+)"\)', face).group(1)
        assert not url.startswith(("http:", "https:", "//"))  # no CDN
        assert (Path(fonts_path).parent / url).resolve().is_file()
    css = Path(finders.find("css/admin.css")).read_text(encoding="utf-8")
    assert re.search(r'--w-font-sans:\s*"Sarabun Thai"', css)
    # Every admin page loads both, the sign-in page included.
    login_page = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "css/fonts.css" in login_page and "css/admin.css" in login_page


def test_wagtail_dates_are_in_the_buddhist_era_on_thai_screens():
    moment = timezone.make_aware(datetime.datetime(2026, 5, 14, 9, 30))
    with translation.override("th"):
        thai = render_to_string("wagtailadmin/shared/human_readable_date.html", human_readable_date(moment))
    with translation.override("en"):
        english = render_to_string("wagtailadmin/shared/human_readable_date.html", human_readable_date(moment))
    visible = re.search(r"<time[^>]*>(.*?)</time>", thai, re.S).group(1)
    assert "2569" in visible and "2026" not in visible
    assert "09:30" in visible
    assert "2026" in re.search(r"<time[^>]*>(.*?)</time>", english, re.S).group(1)


def test_workflow_and_step_names_are_said_in_the_readers_language():
    road = road_for("charter")
    # Built by the migrations, named in the site's language (in either language before the catalog has it).
    task = Task.objects.get(pk=road.steps[0].task_class.objects.get().pk)
    workflow = Workflow.objects.get(workflow_tasks__task=task)
    stored = task.__dict__["name"]
    with translation.override("en"):
        assert str(task.name) == "Committee review"
        assert f"{workflow.name}" == "Charter: from draft to registration"
        assert render_to_string_from("{{ task.name }} / {{ task }}", task=task) == "Committee review / Committee review"
    # What is stored, compared and saved stays the site's name.
    assert task.name == stored
    with translation.override("en"):
        task.save()
    assert Task.objects.filter(pk=task.pk, name=stored).exists()


def render_to_string_from(source, **context):
    from django.template import Context, Template

    return Template(source).render(Context(context))


def test_users_list_shows_no_raw_boolean(client):
    admin = make_user("admin", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    # The "active" column's icon says yes or no to a screen reader, never "True".
    assert not re.search(r">\s*(True|False)\s*<", html)
    assert re.search(r'w-sr-only">\s*Yes\s*<', html)


def test_thai_completion_email_reads_as_thai():
    context = {
        "document": type("D", (), {"title": "รายงานการประชุม ครั้งที่ 1/2569"})(),
        "network": type("N", (), {"title": "กองทุนสวัสดิการชุมชนตำบลเวียง", "name_en": ""})(),
        "step_th": "ประธานหรือเลขานุการรับรองรายงานการประชุม",
        "url": "https://example.org/",
    }
    text = render_to_string("workflows/email/completed_th.txt", context)
    assert "ได้รับการประธาน" not in text
    assert 'ผ่านขั้นตอน "ประธานหรือเลขานุการรับรองรายงานการประชุม"' in text
    assert settings.LANGUAGE_CODE == "th"
