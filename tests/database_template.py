"""A migrated SQLite database, made once and copied for every test process.

Migrating from nothing costs about 20 s (Django renders the state of 190 migrations), and pytest-xdist
pays it again in every worker, as does the production server of tests/cms. The first run migrates a
template (`manage.py migrate`, exactly what a new site runs); later runs copy it, until a migration or an
installed package changes (the file name is a hash of both). PostgreSQL runs (CI) do not use it: each
makes its test database the usual way.

The production server of tests/cms also needs collectstatic under the production settings (hashed names,
gzip and brotli copies: about 20 s); its output is kept the same way, named after a hash of the static
sources, the settings and the packages, and copied into each server's own static root.
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
    # A set: the checkout's own egg-info is listed once more for each time the checkout is on sys.path
    # (pytest, `python -m`, a script), which must not change the name of what is kept.
    for dist in sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()}):
        digest.update(dist.encode())
    return digest.hexdigest()[:16]


def _fingerprint():
    digest = hashlib.sha256(packages_fingerprint().encode())
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")):
        if path.parts[-3] == "tests":
            continue  # tests/migrations holds tests, not migrations
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _kept(name, build):
    """CACHE_DIR/name, made now by `build(path)` if missing; `build` writes a file or a folder at `path`."""
    kept = CACHE_DIR / name
    if kept.exists():
        return kept
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    building = CACHE_DIR / f"{name}.{os.getpid()}.tmp"
    build(building)
    try:
        building.replace(kept)  # atomic: a concurrent run sees the whole result or none
    except OSError:  # a concurrent run kept its folder first: the same content
        shutil.rmtree(building)
    return kept


def _manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def migrated_template():
    """The path of the migrated template, made now if missing (one `manage.py migrate`)."""
    return _kept(
        f"migrated-{_fingerprint()}.sqlite3",
        lambda path: _manage(
            {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "DATABASE_URL": f"sqlite:///{path}"},
            "migrate", "--noinput", "-v", "0",
        ),
    )


SKIPPED_FOLDERS = {".git", ".venv", "__pycache__", "node_modules", "media", "artifacts", "static_collected"}


def _static_fingerprint():
    """A hash of what collectstatic reads and how: the project's static files, the settings, the packages."""
    digest = hashlib.sha256(packages_fingerprint().encode())
    sources = [BASE_DIR / "cms" / "settings" / name for name in ("base.py", "production.py")]
    for folder, subfolders, files in os.walk(BASE_DIR):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
        if "static" in Path(folder).relative_to(BASE_DIR).parts:
            sources += [Path(folder) / name for name in sorted(files)]
    for path in sources:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def collected_static(env):
    """The folder `manage.py collectstatic` fills under `env` (the production settings), made now if
    missing; `env`'s DJANGO_STATIC_ROOT is replaced by the kept folder's."""
    return _kept(
        f"static-{_static_fingerprint()}",
        lambda path: _manage({**env, "DJANGO_STATIC_ROOT": str(path)}, "collectstatic", "--noinput", "-v", "0"),
    )


def copy_template_to(path):
    shutil.copyfile(migrated_template(), path)
