from django.urls import include, path

from . import views

app_name = "reconciliation"

# One province's screens, under its code.
province_patterns = [
    path("", views.ProvinceView.as_view(), name="province"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("rows/", views.RowsView.as_view(), name="rows"),
    path("district/<str:district_code>/", views.DistrictView.as_view(), name="district"),
]

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("fund/<int:network_id>/", views.FundView.as_view(), name="fund"),
    path("upload/<int:upload_id>/", views.PreviewView.as_view(), name="preview"),
    path("import/<int:import_id>/", views.ImportView.as_view(), name="import"),
    path("import/<int:import_id>/file/", views.ImportFileView.as_view(), name="import_file"),
    path("<str:province_code>/", include(province_patterns)),
]
