"""{% load official_documents %}{% official_pdf entry "certificate" as pdf %}{% if pdf %}<a href="{{ pdf.url }}">…{% endif %}"""

from django import template

from documents.api import current_document

register = template.Library()


@register.simple_tag
def official_pdf(obj, kind):
    """The current generated PDF (a Wagtail Document) of `kind` for `obj`, or None while it is being made."""
    if obj is None or getattr(obj, "pk", None) is None:
        return None
    return current_document(obj, kind)
