"""The state of a document in words, for the admin's listings and edit screen (Page.status_string,
through core.providers.document_status, which workflows.apps fills with document_status()).

One wording everywhere: this is workflows.state's value, worded by workflows.state.word_state."""

from .state import document_state, live_label, word_state

__all__ = ["document_status", "live_label"]


def document_status(page):
    return word_state(document_state(page))
