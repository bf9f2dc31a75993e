from pathlib import Path

import pytest
from django.conf import settings

from reconciliation import services
from reconciliation.reading import read_table
from tests.factories import make_user
from tests.funds.conftest import officer_11  # noqa: F401  (Samut Prakan's officer; Chiang Rai's is `officer`)

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
def outsider(db):
    return make_user("outsider", admin_access=True)


@pytest.fixture
def demo_imports(chiang_rai, officer, media):
    """The three demo files of Chiang Rai imported by the officer."""
    return {
        "program": import_bytes(demo_file("program-2562.xlsx"), "program-2562.xlsx", "program", officer),
        "matching": import_bytes(demo_file("matching-2562.csv"), "matching-2562.csv", "matching", officer),
        "survey": import_bytes(demo_file("survey-2562.csv"), "survey-2562.csv", "survey", officer),
    }
