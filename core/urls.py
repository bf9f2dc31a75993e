"""Addresses that the apps' admin sections build the same way."""

from django.urls import path


def form_paths(route, view_class, name, key="<int:pk>"):
    """The two addresses of a form that adds and edits: `route` adds (`<name>_add`), `route<key>/` edits
    the one named by the key (`<name>_edit`)."""
    view = view_class.as_view()
    return [path(route, view, name=f"{name}_add"), path(f"{route}{key}/", view, name=f"{name}_edit")]
