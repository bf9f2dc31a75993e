"""The funds' screens under /admin/funds/ (registered by wagtail_hooks)."""

from django.urls import include, path

from core.urls import form_paths

from . import views

app_name = "funds"

# One fund's screens, under fund/<network id>/.
fund_patterns = [
    path("", views.FundDetailView.as_view(), name="fund"),
    *form_paths("report/", views.FundYearReportView, "report", key="<int:year>"),
]

urlpatterns = [
    path("", views.FundIndexView.as_view(), name="index"),
    path("fund/<int:network_id>/", include(fund_patterns)),
    path("rounds/", views.RoundIndexView.as_view(), name="rounds"),
    path("rounds/add/", views.RoundCreateView.as_view(), name="round_add"),
    path("rounds/<int:round_id>/", views.RoundDetailView.as_view(), name="round"),
    path("rounds/<int:round_id>/group/<int:group_id>/", views.GradeGroupView.as_view(), name="grade_group"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("summary/funds.csv", views.SummaryCsvView.as_view(), name="summary_csv"),
    path("summary/funds.xlsx", views.SummaryXlsxView.as_view(), name="summary_xlsx"),
]
