"""The admin addresses of the duties after registration (namespace "registry_duties")."""

from django.urls import path

from . import duty_views as views

app_name = "registry_duties"

urlpatterns = [
    path("", views.MyOrganizationsView.as_view(), name="index"),
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("organization/<int:entry_id>/", views.OrganizationView.as_view(), name="organization"),
    path("organization/<int:entry_id>/report/", views.ReportFormView.as_view(), name="report_add"),
    path("organization/<int:entry_id>/report/<int:pk>/", views.ReportFormView.as_view(), name="report_edit"),
    path("organization/<int:entry_id>/notice/", views.NoticeFormView.as_view(), name="notice_add"),
    path("organization/<int:entry_id>/notice/<int:pk>/", views.NoticeFormView.as_view(), name="notice_edit"),
    path("report/<int:pk>/", views.ReportView.as_view(), name="report"),
    path("notice/<int:pk>/", views.NoticeView.as_view(), name="notice"),
]
