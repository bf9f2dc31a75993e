"""What the page models of the lower layers need from the layers above them, without importing them.

A page model answers Wagtail's questions itself (get_context, get_workflow, status_string), but the
answers live higher up: the public pages' context in `public`, a document's workflow and its state in
words in `workflows`. Each answer is a Provider here; the app that knows it registers its function in
its AppConfig.ready(), and the page model calls the provider:

    # networks/models.py                            # public/apps.py, in ready()
    context.update(public_context(self, request))   public_context.register(page_context)

A provider with nothing registered raises ImproperlyConfigured: a missing app must not render an
empty page or a document with no workflow.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page, Workflow

P = ParamSpec("P")
R = TypeVar("R")


class Provider(Generic[P, R]):
    """One function, registered once by the app that provides it (`provided_by`, for the error)."""

    def __init__(self, name: str, provided_by: str):
        self.name = name
        self.provided_by = provided_by
        self._implementation: Callable[P, R] | None = None

    def __repr__(self):
        return f"<Provider {self.name}>"

    @property
    def registered(self) -> bool:
        return self._implementation is not None

    def register(self, implementation: Callable[P, R]) -> Callable[P, R]:
        """Registers `implementation` (usable as a decorator). Registering the same function again is
        harmless (ready() may run twice); a different one is a conflict between two apps."""
        if self._implementation is not None and self._implementation is not implementation:
            raise ImproperlyConfigured(
                f"{self.name} is already provided by {self._implementation.__module__}."
                f"{self._implementation.__qualname__}."
            )
        self._implementation = implementation
        return implementation

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._implementation is None:
            raise ImproperlyConfigured(
                f"Nothing provides {self.name}: is {self.provided_by} in INSTALLED_APPS, and has its "
                "AppConfig.ready() run?"
            )
        return self._implementation(*args, **kwargs)


# The template context of a public page of the tree (home, network, document pages), beyond Wagtail's.
public_context: "Provider[[Page, HttpRequest], dict[str, Any]]" = Provider("public_context", "public")
# The workflow a document follows (Page.get_workflow), or None.
document_workflow: "Provider[[Page], Workflow | None]" = Provider("document_workflow", "workflows")
# A document's state in words, for the admin's listings (Page.status_string).
document_status: "Provider[[Page], str]" = Provider("document_status", "workflows")
# The official PDFs of a registry entry or an announcement, for the registrar's screens: [(label, url)],
# empty while they are being made.
official_pdf_links: "Provider[[Any], list[tuple[str, str]]]" = Provider("official_pdf_links", "documents")
