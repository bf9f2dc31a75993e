"""manage.py load_scale_corpus: live documents in bulk, valid in the tree, unique text, findable, and a
second run that adds more (demo.scale_corpus)."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import translation
from wagtail.models import Page

from demo.scale_corpus import Vocabulary
from networks.models import NetworkLevel, NetworkPage
from networks.tree import TreeLoader
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage
from registry.models import RegistrationNumberSequence, RegistryEntry
from registry.services import sha256_of
from tests.scoped import built_once_per_module
from thaisearch.api import search

DOCUMENT_MODELS = (CharterPage, MeetingMinutesPage, ActionPlanPage)

# Chiang Rai and Samut Prakan, loaded once for the module (tests/scoped.py): each test's documents roll
# back to the bare tree. Held from the first test that asks for it to the end of the module, so the test
# that needs no tree at all comes first.
_two_provinces = built_once_per_module(lambda: TreeLoader(search_index=False).load(["57", "11"]))


@pytest.fixture
def two_provinces(_two_provinces, home):
    return _two_provinces


def load(n, *more):
    call_command("load_scale_corpus", "--documents", str(n), "--force", "--verbosity", "0", *more)


def document_texts():
    """{page id: every generated text of the document}."""
    texts = {c.pk: c.body_text for c in CharterPage.objects.all()}
    for minutes in MeetingMinutesPage.objects.prefetch_related("agenda_items"):
        texts[minutes.pk] = "\n".join(
            [minutes.title, minutes.place]
            + [f"{item.title}\n{item.summary}\n{item.resolution}" for item in minutes.agenda_items.all()]
        )
    for plan in ActionPlanPage.objects.prefetch_related("activities"):
        texts[plan.pk] = "\n".join([plan.title, plan.goals] + [a.title for a in plan.activities.all()])
    return texts


def assert_tree_valid():
    assert Page.find_problems() == ([], [], [], [], [])


def test_loads_the_tree_of_the_whole_country_when_missing(home):
    # First in the module: no test before it has held the module's two provinces (`two_provinces`).
    assert not NetworkPage.objects.exists()
    load(30, "--no-index")
    assert NetworkPage.objects.filter(level=NetworkLevel.PROVINCE).count() == 77
    provinces = {page.network.province_code for model in DOCUMENT_MODELS for page in model.objects.select_related("network")}
    assert len(provinces) > 10  # spread over the country, not one corner
    # Page.find_problems() reads 8,500 pages one by one; the same checks in two queries:
    pages = list(Page.objects.values_list("path", "depth", "numchild"))
    children = Counter(path[:-Page.steplen] for path, _depth, _numchild in pages)
    paths = {path for path, _depth, _numchild in pages}
    for path, depth, numchild in pages:
        assert depth == len(path) // Page.steplen and numchild == children[path]
        assert depth == 1 or path[:-Page.steplen] in paths


def test_sixty_live_documents_unique_valid_registered_and_findable(two_provinces, client):
    load(60)

    counts = {model: model.objects.count() for model in DOCUMENT_MODELS}
    assert counts == {CharterPage: 12, MeetingMinutesPage: 30, ActionPlanPage: 18}
    for model in DOCUMENT_MODELS:
        assert not model.objects.filter(live=False).exists()
        assert not model.objects.filter(has_unpublished_changes=True).exists()
        assert not model.objects.filter(network__isnull=True).exists()
        # Each sits right under its own network, at a province, district or tambon.
        for page in model.objects.select_related("network"):
            assert page.get_parent().pk == page.network_id
            assert page.network.level in (NetworkLevel.PROVINCE, NetworkLevel.DISTRICT, NetworkLevel.TAMBON)
    assert_tree_valid()

    texts = document_texts()
    assert len(texts) == 60 and len(set(texts.values())) == 60
    minutes = MeetingMinutesPage.objects.prefetch_related("agenda_items", "present_members")
    for page in minutes:
        assert 5 <= page.agenda_items.count() <= 6 and 10 <= page.present_members.count() <= 20
    for charter in CharterPage.objects.all():
        assert 8 <= len(charter.numbered_chapters()) <= 10
        assert charter.body_text == charter.plain_text()

    # Registered charters carry a number of the registry's scheme, the counter continued in its row.
    entries = list(RegistryEntry.objects.select_related("network", "charter"))
    assert entries
    for entry in entries:
        assert entry.registration_number == f"{entry.network.province_code}-{entry.number_year}-{entry.number_serial:04d}"
        assert entry.charter.network_id == entry.network_id and entry.text_sha256 == sha256_of(entry.charter.body_text)
        assert entry.history.count() == 1
    for sequence in RegistrationNumberSequence.objects.all():
        serials = sorted(e.number_serial for e in entries if e.number_year == sequence.year)
        assert serials == list(range(1, sequence.last_number + 1))

    registered = entries[0].charter
    response = client.get(registered.url)
    assert response.status_code == 200
    assert entries[0].registration_number in response.content.decode()

    # A drawn word that stands alone (spaces around it) in exactly one document, and in no network
    # name (networks and their documents are also indexed under area names).
    vocabulary = set(Vocabulary().words)
    network_names = "\n".join(NetworkPage.objects.values_list("title", flat=True))
    appearances = Counter(word for text in texts.values() for word in set(text.split()) if word in vocabulary)
    candidates = sorted(
        word for word, n in appearances.items()
        if n == 1 and len(word) >= 4 and word not in network_names
        and sum(word in text for text in texts.values()) == 1
    )
    word = candidates[0]
    (owner,) = [pk for pk, text in texts.items() if word in text]
    result = search(word, kinds=["charter", "plan", "minutes"])
    assert [hit.page.pk for hit in result.hits] == [owner]


def test_second_run_adds_as_many_with_unique_titles_slugs_and_numbers(two_provinces, django_assert_max_num_queries):
    # Bulk statements, no query per document (SQLite splits a bulk insert at its 999 parameters).
    with django_assert_max_num_queries(45):
        load(60, "--no-index")
    first_texts = document_texts()
    first_entries = RegistryEntry.objects.count()

    load(60, "--no-index")

    assert sum(model.objects.count() for model in DOCUMENT_MODELS) == 120
    texts = document_texts()
    assert set(first_texts) < set(texts) and len(set(texts.values())) == 120
    for model in DOCUMENT_MODELS:
        per_network = model.objects.values("network", "title").annotate(n=Count("pk")).filter(n__gt=1)
        assert not per_network.exists()
    assert not Page.objects.values("path").annotate(n=Count("pk")).filter(n__gt=1).exists()
    siblings = Counter((p.path[:-Page.steplen], p.slug) for p in Page.objects.only("path", "slug"))
    assert max(siblings.values()) == 1
    numbers = Counter(MeetingMinutesPage.objects.values_list("network_id", "buddhist_year", "meeting_number"))
    assert max(numbers.values()) == 1
    # Registration serials continue gap-free from the first run's; one entry per network at most.
    assert RegistryEntry.objects.count() > first_entries > 0
    assert not RegistryEntry.objects.values("network").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for sequence in RegistrationNumberSequence.objects.all():
        serials = sorted(RegistryEntry.objects.filter(number_year=sequence.year).values_list("number_serial", flat=True))
        assert serials == list(range(1, sequence.last_number + 1))
    assert_tree_valid()


@pytest.mark.parametrize("value, message", [
    ("0", "must be 1 or more"),
    ("-3", "must be 1 or more"),
    ("many", "is not a whole number"),
    ("2.5", "is not a whole number"),
])
def test_bad_number_of_documents_is_refused_and_changes_nothing(two_provinces, value, message):
    pages_before = Page.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("load_scale_corpus", "--documents", value, "--force")
    assert Page.objects.count() == pages_before


def test_refuses_a_site_with_debug_off_without_force(two_provinces, settings):
    settings.DEBUG = False
    with translation.override("en"), pytest.raises(CommandError, match="DEBUG is off.*--force"):
        call_command("load_scale_corpus", "--documents", "5")
    assert not any(model.objects.exists() for model in DOCUMENT_MODELS)
