"""Links to the official PDFs the documents app makes (certificate, charter, minutes)."""

from documents import api as documents_api
from documents.models import DocumentKind


def generated_pdf_url(obj, kind):
    """The newest PDF of `kind` for `obj`, or None while it is being made (one query)."""
    if obj is None:
        return None
    document = documents_api.current_document(obj, kind)
    return document.url if document else None


def certificate_url(entry):
    return generated_pdf_url(entry, DocumentKind.CERTIFICATE)


def charter_pdf_url(charter):
    return generated_pdf_url(charter, DocumentKind.CHARTER)


def minutes_pdf_url(minutes):
    return generated_pdf_url(minutes, DocumentKind.MINUTES)
