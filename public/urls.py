from django.urls import path, register_converter

from core.input_checks import IdConverter
from pages.word_views import public_charter_word

from . import api, views

# Ids the database can hold; a longer number is a 404 here, not an overflow in a query.
register_converter(IdConverter, "id")

app_name = "public"

urlpatterns = [
    path("networks/", views.directory, name="directory"),
    path("registry/", views.registry_list, name="registry"),
    path("registry/registry.csv", views.registry_csv, name="registry_csv"),
    path("registry/registry.json", views.registry_json, name="registry_json"),
    path("registry/<id:entry_id>/versions/", views.charter_diff, name="charter_diff"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:registration_number>/", views.verify, name="verify"),
    path("verify/<str:registration_number>/text-<int:index>.txt", views.verify_text, name="verify_text"),
    path("search/", views.search, name="search"),
    path("charters/<id:page_id>/word/", public_charter_word, name="charter_word"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/networks/", api.network_list, name="api_networks"),
    path("api/v1/networks/<id:pk>/", api.network_detail, name="api_network"),
    path("api/v1/charters/", api.charter_list, name="api_charters"),
    path("api/v1/charters/<id:pk>/", api.charter_detail, name="api_charter"),
    path("api/v1/registry/", api.registry_list, name="api_registry"),
    path("api/v1/registry/<str:registration_number>/", api.registry_detail, name="api_registry_entry"),
]
