from django.urls import path

from . import views

app_name = "reconciliation"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<str:province_code>/", views.ProvinceView.as_view(), name="province"),
    path("<str:province_code>/upload/", views.UploadView.as_view(), name="upload"),
    path("<str:province_code>/rows/", views.RowsView.as_view(), name="rows"),
    path("<str:province_code>/district/<str:district_code>/", views.DistrictView.as_view(), name="district"),
    path("fund/<int:network_id>/", views.FundView.as_view(), name="fund"),
    path("upload/<int:upload_id>/", views.PreviewView.as_view(), name="preview"),
    path("import/<int:import_id>/", views.ImportView.as_view(), name="import"),
    path("import/<int:import_id>/file/", views.ImportFileView.as_view(), name="import_file"),
]
