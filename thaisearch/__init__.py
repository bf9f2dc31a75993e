"""Thai full-text search over the public pages: see thaisearch.api.search and thaisearch.highlight.

The functions are imported lazily so that `thaisearch` can sit in INSTALLED_APPS and be named as
a search backend (`thaisearch.backend`) before the app registry is ready.
"""


def search(*args, **kwargs):
    from .api import search as _search

    return _search(*args, **kwargs)


def highlight(text, query):
    from .highlight import highlight as _highlight

    return _highlight(text, query)


def snippet(text, query, length=240):
    from .highlight import snippet as _snippet

    return _snippet(text, query, length)
