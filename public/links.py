"""Absolute URLs of the public site, from one source for every column of the open data and the API:
settings.PUBLIC_BASE_URL when set, else the address the request came to. (Wagtail's get_full_url
would take the Site's hostname, "http://localhost" on a fresh install, for page links only.)"""

from django.conf import settings
from django.urls import reverse


def public_base_url(request):
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path):
    return public_base_url(request) + path


def absolute_reverse(request, name, *args):
    return absolute_url(request, reverse(name, args=args))


def page_full_url(request, page):
    """The page's address on the public site, or None if no site serves it."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    _site_id, _root_url, page_path = parts
    return absolute_url(request, page_path)
