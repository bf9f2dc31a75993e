"""The Thai catalogs are complete and the committed .mo files are what the .po files compile to.

A fresh machine may lack gettext's msgfmt, so the compiled .mo files are committed; this test keeps them
honest by compiling each .po again (with polib, in a temporary directory) and comparing the messages."""

import os
import re
import shutil
from pathlib import Path

import django
import polib
import pytest
import wagtail
from django.core.management import call_command

from .conftest import ADMIN_CATALOGS, PROJECT_CATALOGS

PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-z_]*\}")
ALL_PO = sorted([*PROJECT_CATALOGS.glob("*/LC_MESSAGES/*.po"), *ADMIN_CATALOGS.glob("*/LC_MESSAGES/*.po")])
THAI_PO = [p for p in ALL_PO if p.parts[-3] == "th"]


def messages(catalog):
    """{(context, msgid): translation} of the entries a compiled catalog serves."""
    return {
        (e.msgctxt, e.msgid): tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
        if e.msgid_plural
        else e.msgstr
        for e in catalog
        if (any(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr) and "fuzzy" not in e.flags
    }


def test_catalogs_exist():
    names = {p.relative_to(p.parents[2]).as_posix() for p in ALL_PO}
    assert {"th/LC_MESSAGES/django.po", "en/LC_MESSAGES/django.po"} <= names
    assert (ADMIN_CATALOGS / "th/LC_MESSAGES/django.po") in ALL_PO


@pytest.mark.parametrize("path", THAI_PO, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_thai_catalog_complete(path):
    catalog = polib.pofile(str(path))
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=1;")
    assert not catalog.metadata_is_fuzzy
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("path", THAI_PO, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_thai_translations_keep_placeholders_and_markup(path):
    problems = []
    for entry in polib.pofile(str(path)):
        # Thai has one plural form, used for every count: it must carry the plural's placeholders.
        source = entry.msgid_plural or entry.msgid
        translation = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        if sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(source)):
            problems.append(("placeholders", entry.msgid))
        if re.findall(r"</?\w+", translation) != re.findall(r"</?\w+", source):
            problems.append(("markup", entry.msgid))
        words = re.sub(r"<[^>]*>|" + PLACEHOLDER.pattern, " ", source)
        if re.search(r"[a-z]{4}", words) and not re.search(r"[\u0E00-\u0E7F]", translation):
            problems.append(("no Thai", entry.msgid))
    assert problems == []


@pytest.mark.parametrize("path", ALL_PO, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_compiled_catalog_up_to_date(path, tmp_path):
    committed = path.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run `make messages` and commit it"
    fresh = tmp_path / "fresh.mo"
    polib.pofile(str(path)).save_as_mofile(str(fresh))
    assert messages(polib.mofile(str(committed))) == messages(polib.mofile(str(fresh))), (
        f"{committed} is out of date: run `make messages` and commit it"
    )


def test_admin_msgids_exist_in_wagtail_or_django():
    """Every entry in locale_admin/ translates a msgid the installed Wagtail (or Django) really uses: after
    an upgrade, stale entries show up here instead of silently doing nothing."""
    wagtail_ids = set()
    for root in (Path(wagtail.__file__).parent, Path(django.__file__).parent / "conf"):
        for domain in ("django", "djangojs"):
            for source in root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
                wagtail_ids |= {(domain, e.msgctxt, e.msgid) for e in polib.pofile(str(source))}
    stale = [
        entry.msgid
        for path in ADMIN_CATALOGS.glob("th/LC_MESSAGES/*.po")
        for entry in polib.pofile(str(path))
        if (path.stem, entry.msgctxt, entry.msgid) not in wagtail_ids
    ]
    assert stale == []


def test_gitignore_keeps_compiled_catalogs():
    gitignore = (PROJECT_CATALOGS.parent / ".gitignore").read_text()
    assert not re.search(r"^\*?\.mo$|^\*\.mo\b|locale", gitignore, re.MULTILINE)


SOURCE_SUFFIXES = {".py", ".html", ".txt"}
NOT_SOURCES = {".venv", ".git", "media", "artifacts", "bench", "static_collected", "locale", "locale_admin",
               "node_modules", "tests"}


def test_every_msgid_in_the_code_is_in_the_thai_catalog(tmp_path, settings, monkeypatch):
    """`make messages` was run after the last string was added: gettext's own extraction over a copy of
    the sources finds no msgid the committed Thai catalog lacks (such a string would show in English)."""
    # bin/system-deps (run by `make test` and CI) installs gettext: missing, this fails rather than skips.
    assert shutil.which("xgettext"), "gettext's xgettext is missing: run bin/system-deps"
    base = Path(PROJECT_CATALOGS).parent
    for folder, subfolders, files in os.walk(base):
        relative = Path(folder).relative_to(base)
        if relative == Path("."):
            # Pruned here, not filtered file by file: .venv alone holds some 20,000 files.
            subfolders[:] = [name for name in subfolders if name not in NOT_SOURCES]
        for name in files:
            if Path(name).suffix in SOURCE_SUFFIXES and (Path(folder) / name).is_file():
                (tmp_path / relative).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(folder) / name, tmp_path / relative / name)
    (tmp_path / "locale").mkdir()
    # makemessages in this process (a `manage.py` of its own would start Django again, 2 s): it reads the
    # files below the current folder and writes to the first of LOCALE_PATHS, the copy's catalog.
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["th"], domain="django", verbosity=0)
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / "locale/th/LC_MESSAGES/django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PROJECT_CATALOGS / "th/LC_MESSAGES/django.po"))}
    assert sorted(extracted - committed, key=str) == [], "run `make messages` and translate the new strings"
