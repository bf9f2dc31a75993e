"""Province and district summaries of the funds: how many by grade and by status, members, money by
source; the bars of their charts; the same table as CSV and XLSX.

One query reads every fund of the province (with its current grade), whatever their number; the sums
are made here, so that a summary costs the same for 20 funds or 200."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from core.geography import district_name, province_name

from .models import MONEY_FIELDS, FundStatus, Grade
from .services import fund_networks, latest_grade_subquery

GRADES = [grade.value for grade in Grade]
STATUSES = [status.value for status in FundStatus]
NOT_GRADED = "none"
NO_RECORD = "none"
MONEY_LABELS = {
    "savings_members": gettext_lazy("Members' savings"),
    "matching_local": gettext_lazy("Local government matching"),
    "matching_codi": gettext_lazy("CODI / government matching"),
    "matching_other": gettext_lazy("Other sources"),
}


@dataclass
class SummaryRow:
    """The funds of one district (or of the whole province, in the total)."""

    code: str
    label: str
    funds: int = 0
    grades: dict = field(default_factory=lambda: dict.fromkeys([*GRADES, NOT_GRADED], 0))
    statuses: dict = field(default_factory=lambda: dict.fromkeys([*STATUSES, NO_RECORD], 0))
    members_now: int = 0
    money: dict = field(default_factory=lambda: dict.fromkeys(MONEY_FIELDS, Decimal("0")))

    def add(self, fund):
        self.funds += 1
        self.grades[fund["grade"] or NOT_GRADED] += 1
        self.statuses[fund["status"] or NO_RECORD] += 1
        self.members_now += fund["members_now"] or 0
        for name in MONEY_FIELDS:
            self.money[name] += fund[name] or 0

    @property
    def money_total(self):
        return sum(self.money.values())

    @property
    def grade_counts(self):
        return [self.grades[key] for key in [*GRADES, NOT_GRADED]]

    @property
    def status_counts(self):
        return [self.statuses[key] for key in [*STATUSES, NO_RECORD]]

    @property
    def money_amounts(self):
        return [self.money[name] for name in MONEY_FIELDS]


@dataclass
class Summary:
    province_code: str
    district_code: str
    rows: list
    total: SummaryRow

    @property
    def title(self):
        province = province_name(self.province_code, default=self.province_code)
        if self.district_code:
            return _("Funds of %(district)s district, %(province)s") % {
                "district": district_name(self.district_code), "province": province,
            }
        return _("Funds of %(province)s province") % {"province": province}


def fund_figures(province_code, district_codes=()):
    """One dict per fund of the province (of the districts, if given): area code, status, members now,
    money by source and current grade. One query."""
    networks = fund_networks().filter(province_code=province_code)
    if district_codes:
        area = Q(pk__in=[])
        for code in district_codes:
            area |= Q(area_code__startswith=code)
        networks = networks.filter(area)
    return list(
        networks.annotate(grade=latest_grade_subquery("fund_record__id"))
        .values("area_code", "fund_record__status", "fund_record__members_now", "grade",
                *(f"fund_record__{name}" for name in MONEY_FIELDS))
        .order_by("area_code")
    )


def build_summary(province_code, district_code=""):
    """The summary of a province by district, or of one district (one row)."""
    rows = {}
    total = SummaryRow(code=province_code, label=_("Total"))
    for values in fund_figures(province_code, [district_code] if district_code else ()):
        fund = {
            "grade": values["grade"],
            "status": values["fund_record__status"],
            "members_now": values["fund_record__members_now"],
            **{name: values[f"fund_record__{name}"] for name in MONEY_FIELDS},
        }
        code = (values["area_code"] or "")[:4]
        row = rows.get(code)
        if row is None:
            row = rows[code] = SummaryRow(code=code, label=district_name(code, default=code or "—"))
        row.add(fund)
        total.add(fund)
    return Summary(province_code, district_code, [rows[code] for code in sorted(rows)], total)


# --- Charts ----------------------------------------------------------------------------------------


def bar_chart(chart_id, title, description, bars):
    """What templates/funds/includes/bar_chart.html draws: `bars` is [(label, value, shown value)]; each
    bar's length is its share of the largest."""
    largest = max((value for _label, value, _shown in bars), default=0) or 1
    row_height = 28
    return {
        "id": chart_id,
        "title": title,
        "description": description,
        "height": row_height * len(bars) + 8,
        "bars": [
            {"label": label, "shown": shown, "y": 4 + i * row_height, "text_y": 4 + i * row_height + 17,
             "width": round(float(value) / float(largest) * 100, 2)}
            for i, (label, value, shown) in enumerate(bars)
        ],
    }


def summary_charts(summary):
    total = summary.total
    grade_labels = [*(Grade(g).label for g in GRADES), _("Not graded")]
    status_labels = [*(FundStatus(s).label for s in STATUSES), _("No record")]
    return [
        bar_chart(
            "chart-grades", _("Funds by grade"),
            _("Number of funds by their grade in the latest assessment round."),
            [(label, count, str(count)) for label, count in zip(grade_labels, total.grade_counts, strict=True)],
        ),
        bar_chart(
            "chart-statuses", _("Funds by status"), _("Number of funds operating, inactive or dissolved."),
            [(label, count, str(count)) for label, count in zip(status_labels, total.status_counts, strict=True)],
        ),
        bar_chart(
            "chart-money", _("Money by source (baht)"),
            _("The funds' money by where it came from, in baht."),
            [(MONEY_LABELS[name], amount, f"{amount:,.2f}") for name, amount in total.money.items()],
        ),
    ]


# --- Exports ---------------------------------------------------------------------------------------


def table_headers():
    return [
        _("District code"), _("District"), _("Funds"),
        *(_("Grade %(grade)s") % {"grade": g} for g in GRADES), _("Not graded"),
        *(FundStatus(s).label for s in STATUSES), _("No record"),
        _("Members now"), *(MONEY_LABELS[name] for name in MONEY_FIELDS), _("Money, total"),
    ]


def table_rows(summary):
    for row in [*summary.rows, summary.total]:
        yield [
            row.code, str(row.label), row.funds, *row.grade_counts, *row.status_counts, row.members_now,
            *row.money_amounts, row.money_total,
        ]


def summary_csv(summary):
    """The summary as CSV text, with a byte order mark so that spreadsheet programs read the Thai."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in table_headers()])
    for row in table_rows(summary):
        writer.writerow([f"{value:.2f}" if isinstance(value, Decimal) else value for value in row])
    return buffer.getvalue()


def summary_xlsx(summary):
    """The summary as the bytes of an XLSX workbook (numbers as numbers, money with two decimals)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    sheet.append([summary.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(header) for header in table_headers()])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table_rows(summary):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
