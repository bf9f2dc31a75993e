from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language_code):
    """This page's address in the other language: '/registry/?year=2568' <-> '/en/registry/?year=2568'."""
    request = context.get("request")
    if request is None:
        return "/en/" if language_code == "en" else "/"
    return translate_url(request.get_full_path(), language_code)


@register.filter
def percent_of(value, total):
    """Share of `total` as a whole percentage (0 when total is 0)."""
    try:
        return round(100 * float(value) / float(total)) if total else 0
    except (TypeError, ValueError):
        return 0
