"""A migrated SQLite database, made once and copied for every test process.

Migrating from nothing costs about 20 s (Django renders the state of 190 migrations), and pytest-xdist
pays it again in every worker, as does the production server of tests/cms. The first run migrates a
template (`manage.py migrate`, exactly what a new site runs); later runs copy it, until a migration or an
installed package changes (the file name is a hash of both). PostgreSQL runs (CI) do not use it: each
makes its test database the usual way.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = BASE_DIR / ".venv" / "test-databases"


def uses_sqlite():
    return not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def packages_fingerprint():
    """A short hash of the installed packages and their versions."""
    digest = hashlib.sha256()
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:16]


def _fingerprint():
    digest = hashlib.sha256(packages_fingerprint().encode())
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_template():
    """The path of the migrated template, made now if missing (one `manage.py migrate`)."""
    template = CACHE_DIR / f"migrated-{_fingerprint()}.sqlite3"
    if template.exists():
        return template
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    building = template.with_suffix(f".{os.getpid()}.tmp")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "DATABASE_URL": f"sqlite:///{building}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env,
                   check=True)
    building.replace(template)  # atomic: a concurrent run sees a whole file or none
    return template


def copy_template_to(path):
    shutil.copyfile(migrated_template(), path)
