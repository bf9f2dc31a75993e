"""The document types of a network, in one list: the charter, its action plans, its meeting minutes.

Every app that treats documents type by type reads this list instead of naming the page models
itself: the workflows (which workflow, the state words, the dashboard and the queue), the PDFs
(documents), the search (thaisearch), the public pages, their cache and their API. It is data only;
where an upper layer has its own object for a value (documents' DocumentKind, a Wagtail Workflow),
the value here is the plain key it stores and that layer maps it.

A new document type is a NetworkDocumentPage subclass plus one entry here
(tests/pages/test_doctypes.py checks that every document page model has one).
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DocumentType:
    # How code, URLs and the public search name the type ("charter", "plan", "minutes"); thaisearch's
    # kind of the type's pages.
    key: str
    # The page model, "app_label.ModelName".
    model_label: str
    # The type's name as a heading or a choice ("Charter").
    label: Promise
    # What a live document of the type is called in the admin ("registered").
    live_label: Promise
    # What WorkflowBinding.document_type stores for the type (a database value: never change it).
    workflow_key: str
    # The type's place among WorkflowBinding's choices (also the queue's filter): workflows' migration
    # 0001 froze them as charter, minutes, plan, and another order would be a new migration.
    workflow_choice_position: int
    # documents.DocumentKind value of the type's official PDF; None when it has none.
    pdf_kind: str | None
    # How the dashboard orders the documents of one type ("Documents of my network").
    listing_order: tuple[str, ...]
    # What a list of links to the documents shows besides the title (a network's public page).
    link_fields: tuple[str, ...]

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural


# In the order they are shown to people (the dashboard, the search form): charter, plans, minutes.
DOCUMENT_TYPES = (
    DocumentType(
        key="charter",
        model_label="pages.CharterPage",
        label=_("Charter"),
        live_label=_("registered"),
        workflow_key="pages.charterpage",
        workflow_choice_position=1,
        pdf_kind="charter",
        listing_order=("path",),
        link_fields=("version_label",),
    ),
    DocumentType(
        key="plan",
        model_label="pages.ActionPlanPage",
        label=_("Action plan"),
        live_label=_("approved"),
        workflow_key="pages.actionplanpage",
        workflow_choice_position=3,
        pdf_kind=None,
        listing_order=("-fiscal_year", "path"),
        link_fields=("fiscal_year",),
    ),
    DocumentType(
        key="minutes",
        model_label="pages.MeetingMinutesPage",
        label=_("Meeting minutes"),
        live_label=_("certified"),
        workflow_key="pages.meetingminutespage",
        workflow_choice_position=2,
        pdf_kind="minutes",
        listing_order=("-meeting_date", "-meeting_number"),
        link_fields=("meeting_number", "buddhist_year", "meeting_date", "body_name"),
    ),
)

_BY_KEY = {document_type.key: document_type for document_type in DOCUMENT_TYPES}
_BY_MODEL_LABEL = {document_type.model_label.lower(): document_type for document_type in DOCUMENT_TYPES}


def document_types():
    """Every document type, in the order they are shown to people."""
    return DOCUMENT_TYPES


def document_type(key):
    """The document type of this key ("charter", "plan", "minutes"); LookupError for another."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise LookupError(f"No document type {key!r}.") from None


def document_type_for(page_or_model):
    """The document type of a page or page model, or None when it is no document (a network)."""
    return _BY_MODEL_LABEL.get(page_or_model._meta.label_lower)


def document_models():
    """The page model of every document type, in the order of document_types()."""
    return [document_type.model for document_type in DOCUMENT_TYPES]


def workflow_choices():
    """[(WorkflowBinding.document_type value, label), ...] in the order of the binding's choices."""
    ordered = sorted(DOCUMENT_TYPES, key=lambda document_type: document_type.workflow_choice_position)
    return [(document_type.workflow_key, document_type.label) for document_type in ordered]
