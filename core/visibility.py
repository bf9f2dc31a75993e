"""What the public may see of the page tree: live pages that no view restriction covers.

Wagtail's PageQuerySet.public() reads every view restriction each time it is called; a page here
filters several querysets, so the restricted paths are read once per request instead.
"""

from django.db.models import F, Q
from wagtail.models import PageViewRestriction

_CACHE_ATTRIBUTE = "_public_restricted_paths"


def view_restrictions(request):
    """Every view restriction, each with the path of its page (`page_path`), in one query; the
    restricted paths of this request come with it (the home page's own check and its listings)."""
    restrictions = list(PageViewRestriction.objects.annotate(page_path=F("page__path")))
    setattr(request, _CACHE_ATTRIBUTE, [restriction.page_path for restriction in restrictions])
    return restrictions


def restricted_paths(request=None):
    paths = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, paths)
    return paths


def visible(queryset, request=None):
    """`queryset` (of pages) narrowed to what the public may see."""
    queryset = queryset.live()
    paths = restricted_paths(request)
    if paths:
        hidden = Q()
        for path in paths:
            hidden |= Q(path__startswith=path)
        queryset = queryset.exclude(hidden)
    return queryset
