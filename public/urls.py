from django.urls import include, path, register_converter

from core.input_checks import IdConverter
from pages.word_views import public_charter_word

from . import api, views

# Ids the database can hold; a longer number is a 404 here, not an overflow in a query.
register_converter(IdConverter, "id")

app_name = "public"

# Grouped by the address they start with (include() of a list keeps the names in this namespace).
urlpatterns = [
    path("networks/", views.directory, name="directory"),
    path("registry/", include([
        path("", views.registry_list, name="registry"),
        path("registry.csv", views.registry_csv, name="registry_csv"),
        path("registry.json", views.registry_json, name="registry_json"),
        path("<id:entry_id>/versions/", views.charter_diff, name="charter_diff"),
    ])),
    path("verify/", include([
        path("", views.verify, name="verify_form"),
        path("<str:registration_number>/", views.verify, name="verify"),
        path("<str:registration_number>/text-<int:index>.txt", views.verify_text, name="verify_text"),
    ])),
    path("search/", views.search, name="search"),
    path("charters/<id:page_id>/word/", public_charter_word, name="charter_word"),
    path("api/v1/", include([
        path("", api.index, name="api_index"),
        path("networks/", api.network_list, name="api_networks"),
        path("networks/<id:pk>/", api.network_detail, name="api_network"),
        path("charters/", api.charter_list, name="api_charters"),
        path("charters/<id:pk>/", api.charter_detail, name="api_charter"),
        path("registry/", api.registry_list, name="api_registry"),
        path("registry/<str:registration_number>/", api.registry_detail, name="api_registry_entry"),
    ])),
]
