"""The two languages of the site: Thai first, English on request."""

from django.utils.translation import get_language


def is_english(language=None):
    """True when `language` (by default the active one) is English; anything else reads as Thai."""
    if language is None:
        language = get_language()
    return (language or "th").startswith("en")
