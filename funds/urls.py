"""The public statistics of the funds (included by cms/urls.py under the language prefixes)."""

from django.urls import path

from . import public_views

app_name = "funds_public"

urlpatterns = [
    path("<str:province_code>/", public_views.province_statistics, name="province"),
]
