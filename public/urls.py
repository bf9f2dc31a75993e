from django.urls import path

from . import api, views

app_name = "public"

urlpatterns = [
    path("networks/", views.directory, name="directory"),
    path("registry/", views.registry_list, name="registry"),
    path("registry/registry.csv", views.registry_csv, name="registry_csv"),
    path("registry/registry.json", views.registry_json, name="registry_json"),
    path("registry/<int:entry_id>/versions/", views.charter_diff, name="charter_diff"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:registration_number>/", views.verify, name="verify"),
    path("search/", views.search, name="search"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/networks/", api.network_list, name="api_networks"),
    path("api/v1/networks/<int:pk>/", api.network_detail, name="api_network"),
    path("api/v1/charters/", api.charter_list, name="api_charters"),
    path("api/v1/charters/<int:pk>/", api.charter_detail, name="api_charter"),
    path("api/v1/registry/", api.registry_list, name="api_registry"),
    path("api/v1/registry/<str:registration_number>/", api.registry_detail, name="api_registry_entry"),
]
