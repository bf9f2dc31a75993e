from pathlib import Path

import pytest
from django.conf import settings

from reconciliation import services
from reconciliation.reading import read_table
from tests.factories import make_provincial_officer, make_user

DEMO_FILES = Path(settings.BASE_DIR) / "demo" / "data" / "funds"


def demo_file(name):
    return (DEMO_FILES / name).read_bytes()


def import_bytes(data, filename, source, user, province_code="57", mapping=None):
    """Import `data` as the admin's confirm step does: read, map (guessed unless given), match, save."""
    table = read_table(data, filename)
    preview = services.build_preview(table, mapping or services.guess_mapping(table.headers), province_code, source)
    return services.save_import(data, filename, preview, user=user)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff(db):
    """A provincial officer of Chiang Rai who can open the admin."""
    return make_provincial_officer("officer_cr", "57", admin_access=True)


@pytest.fixture
def other_officer(db):
    return make_provincial_officer("officer_sp", "11", admin_access=True)


@pytest.fixture
def outsider(db):
    return make_user("outsider", admin_access=True)


@pytest.fixture
def demo_imports(chiang_rai, staff, media):
    """The three demo files of Chiang Rai imported by the officer."""
    return {
        "program": import_bytes(demo_file("program-2562.xlsx"), "program-2562.xlsx", "program", staff),
        "matching": import_bytes(demo_file("matching-2562.csv"), "matching-2562.csv", "matching", staff),
        "survey": import_bytes(demo_file("survey-2562.csv"), "survey-2562.csv", "survey", staff),
    }
