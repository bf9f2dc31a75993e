"""The one list of document types (pages.doctypes), the apps that read it, and the providers through
which the page models get what the layers above them know (core.providers)."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from wagtail.signals import page_published, page_unpublished

from core import providers
from core.providers import Provider
from documents.models import DocumentKind
from pages.doctypes import document_models, document_type, document_type_for, document_types, workflow_choices
from pages.models import ActionPlanPage, CharterPage, MeetingMinutesPage, NetworkDocumentPage
from public.cache import PAGE_TYPES
from public.context import DOCUMENT_LINK_FIELDS, PAGE_CONTEXTS, page_context
from thaisearch.api import KINDS, _kinds, kind_choices
from workflows.models import WorkflowBinding, workflow_for
from workflows.status import document_status, live_label


def test_every_document_page_model_is_registered_once():
    concrete = {
        model for model in apps.get_models()
        if issubclass(model, NetworkDocumentPage) and not model._meta.abstract
    }
    assert set(document_models()) == concrete == {CharterPage, ActionPlanPage, MeetingMinutesPage}
    assert len(document_models()) == len(concrete)
    assert len({t.key for t in document_types()}) == len(document_types())
    assert len({t.workflow_key for t in document_types()}) == len(document_types())


def test_lookups(db):
    assert [t.key for t in document_types()] == ["charter", "plan", "minutes"]  # the order people see
    assert document_type("plan").model is ActionPlanPage
    assert document_type_for(CharterPage) is document_type("charter")
    assert document_type_for(MeetingMinutesPage(title="x")) is document_type("minutes")
    assert document_type_for(apps.get_model("networks.NetworkPage")) is None
    with pytest.raises(LookupError):
        document_type("announcement")
    assert str(document_type("charter").verbose_name) == str(CharterPage._meta.verbose_name)


def test_the_workflow_bindings_keep_their_database_values_and_choices():
    # Stored in WorkflowBinding.document_type: these values must never change.
    assert {t.key: t.workflow_key for t in document_types()} == {
        "charter": "pages.charterpage",
        "plan": "pages.actionplanpage",
        "minutes": "pages.meetingminutespage",
    }
    # The order workflows' migration 0001 froze (another order would be a new migration).
    with translation.override("en"):
        choices = [
            (value, str(label)) for value, label in WorkflowBinding._meta.get_field("document_type").choices
        ]
        assert choices == [(value, str(label)) for value, label in workflow_choices()]
    assert choices == [
        ("pages.charterpage", "Charter"),
        ("pages.meetingminutespage", "Meeting minutes"),
        ("pages.actionplanpage", "Action plan"),
    ]


def test_the_search_offers_networks_then_every_document_type():
    assert KINDS == ("network", *(t.key for t in document_types()))
    kinds = _kinds()
    assert list(kinds) == list(KINDS)
    for t in document_types():
        assert kinds[t.key] == (t.model, t.label)
    assert [kind for kind, _label in kind_choices()] == list(KINDS)


def test_the_official_pdfs_of_the_document_types():
    assert {t.key: t.pdf_kind for t in document_types()} == {
        "charter": DocumentKind.CHARTER,
        "plan": None,
        "minutes": DocumentKind.MINUTES,
    }
    # documents.signals asks for the PDF when a document that has one is published or unpublished.
    published = {key[0] for key, *_receiver in page_published.receivers}
    unpublished = {key[0] for key, *_receiver in page_unpublished.receivers}
    for t in document_types():
        has_pdf = t.pdf_kind is not None
        assert (f"documents-published-{t.model_label}" in published) is has_pdf
        assert (f"documents-unpublished-{t.model_label}" in unpublished) is has_pdf


def test_the_public_site_knows_every_document_type():
    for t in document_types():
        assert t.model._meta.label_lower in PAGE_TYPES  # the page cache keeps them
        assert t.model in PAGE_CONTEXTS  # their public page has its context
        assert DOCUMENT_LINK_FIELDS[t.model] == t.link_fields  # a network page links to them
        for name in t.link_fields:
            t.model._meta.get_field(name)


def test_the_admin_words_and_order_of_every_document_type():
    with translation.override("en"):
        assert {t.key: str(live_label(t.model)) for t in document_types()} == {
            "charter": "registered",
            "plan": "approved",
            "minutes": "certified",
        }
        assert str(live_label(apps.get_model("networks.NetworkPage"))) == "live"
    for t in document_types():
        for name in t.listing_order:
            t.model._meta.get_field(name.lstrip("-"))


# --- Providers -------------------------------------------------------------------------------------


def test_a_provider_with_nothing_registered_fails_loudly():
    provider = Provider("something", "an app")
    assert not provider.registered
    with pytest.raises(ImproperlyConfigured, match="Nothing provides something"):
        provider("page")


def test_a_provider_calls_what_was_registered_and_refuses_a_second_one():
    provider = Provider("something", "an app")

    def answer(page):
        return f"answer for {page}"

    provider.register(answer)
    provider.register(answer)  # ready() running twice is harmless
    assert provider("page") == "answer for page"
    with pytest.raises(ImproperlyConfigured, match="already provided"):
        provider.register(lambda page: "another")


def test_the_upper_layers_registered_what_the_page_models_need():
    assert providers.public_context._implementation is page_context
    assert providers.document_workflow._implementation is workflow_for
    assert providers.document_status._implementation is document_status
