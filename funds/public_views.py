"""The public page of a province's funds: how many by grade and by status, per district and in total.

Counts only: no fund's figures, no names of members, no money, nothing a source said before it was
resolved (the counts read the fund records and the grades of assessment rounds, never raw imports)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.geography import is_province_code, province_name

from .models import FundStatus, Grade
from .summaries import GRADES, STATUSES, build_summary, summary_charts


@require_GET
def province_statistics(request, province_code):
    if not is_province_code(province_code):
        raise Http404
    summary = build_summary(province_code)
    counts = [
        {"label": row.label, "funds": row.funds, "grades": row.grade_counts, "statuses": row.status_counts}
        for row in [*summary.rows, summary.total]
    ]
    charts = summary_charts(summary)[:2]  # by grade and by status; money is not published
    return render(request, "funds/province_statistics.html", {
        "province_code": province_code,
        "province_label": province_name(province_code),
        "counts": counts,
        "total_funds": summary.total.funds,
        "charts": charts,
        "grade_labels": [Grade(g).label for g in GRADES],
        "status_labels": [FundStatus(s).label for s in STATUSES],
    })
