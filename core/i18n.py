"""The two languages of the site: Thai first, English on request."""

from django.utils import translation
from django.utils.translation import get_language

LANGUAGES_THAI_FIRST = ("th", "en")
# Between the Thai and the English text of an e-mail.
BILINGUAL_SEPARATOR = "-" * 40


def is_english(language=None):
    """True when `language` (by default the active one) is English; anything else reads as Thai."""
    if language is None:
        language = get_language()
    return (language or "th").startswith("en")


def bilingual(builder, **values):
    """(subject, body) of an e-mail in both languages, Thai first: `builder(**values)` returns
    (subject, body) in the active language and is called once in Thai, once in English. A text that
    reads the same in both (nothing translated) is given once."""
    (subject_th, body_th), (subject_en, body_en) = (
        _built_in(language, builder, values) for language in LANGUAGES_THAI_FIRST
    )
    subject = subject_th if subject_th == subject_en else f"{subject_th} / {subject_en}"
    body = body_th if body_th == body_en else f"{body_th}\n\n{BILINGUAL_SEPARATOR}\n\n{body_en}"
    return subject, f"{body}\n"


def _built_in(language, builder, values):
    with translation.override(language):
        subject, body = builder(**values)
    return str(subject).strip(), str(body).strip()
