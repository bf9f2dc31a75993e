"""The admin addresses of the duties after registration (namespace "registry_duties")."""

from django.urls import include, path

from core.urls import form_paths

from . import duty_views as views

app_name = "registry_duties"

# One organization's screens, under organization/<entry id>/: its duties, and filing a report or a notice.
organization_patterns = [
    path("", views.OrganizationView.as_view(), name="organization"),
    *form_paths("report/", views.ReportFormView, "report"),
    *form_paths("notice/", views.NoticeFormView, "notice"),
]

urlpatterns = [
    path("", views.MyOrganizationsView.as_view(), name="index"),
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("organization/<int:entry_id>/", include(organization_patterns)),
    path("report/<int:pk>/", views.ReportView.as_view(), name="report"),
    path("notice/<int:pk>/", views.NoticeView.as_view(), name="notice"),
]
