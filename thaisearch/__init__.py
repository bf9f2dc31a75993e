"""Thai full-text search over the public pages: see thaisearch.api.search and thaisearch.highlight."""

from .highlight import highlight, snippet

__all__ = ["highlight", "search", "snippet"]


def search(*args, **kwargs):
    # App loading: thaisearch.api imports models, and this package is imported before the app registry
    # is ready (it sits in INSTALLED_APPS and is named as the search backend, thaisearch.backend).
    from .api import search as _search

    return _search(*args, **kwargs)
