"""The fund screens of the admin: the list of funds in the user's area, a fund with its record, yearly
reports, history and grades; the yearly report form; assessment rounds and the grading of a district's
group in one screen; province and district summaries with charts and exports.

Every view checks on the server who may do what (funds.permissions); a refusal is a real 403."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.admin_views import SectionView, UserCheckedMixin, refused
from core.geography import district_name, is_province_code, province_district_codes, province_name
from networks.models import NetworkPage
from people.views import EMPTY, HISTORY_TYPE_LABELS, display_date

from . import permissions, services, summaries
from .forms import AssessmentRoundForm, FundYearReportForm, GradeGroupForm, category_field_name
from .models import (
    MEMBER_FIELDS,
    MONEY_FIELDS,
    AssessmentGroup,
    AssessmentRound,
    FundGrade,
    FundRecord,
    FundStatus,
    FundYearMembers,
    FundYearReport,
    Grade,
    MemberCategory,
)

RECORD_HISTORY_FIELDS = ("status", "founded_year", "figures_year", *MEMBER_FIELDS, *MONEY_FIELDS)


class FundsView(SectionView):
    header_icon = "group"
    section_url_name = "funds:index"
    section_label = gettext_lazy("Community welfare funds")


class FundAccessOnly(UserCheckedMixin):
    def allows(self, user):
        return permissions.has_fund_access(user)


# --- The list of funds -----------------------------------------------------------------------------


class FundIndexView(FundAccessOnly, FundsView, TemplateView):
    template_name = "funds/fund_index.html"
    page_title = gettext_lazy("Community welfare funds")
    page_size = 50
    section_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        networks = services.fund_networks().filter(permissions.visible_networks_filter(user))
        params = self.request.GET
        province = params.get("province", "")
        district = params.get("district", "")
        status = params.get("status", "")
        grade = params.get("grade", "")
        query = params.get("q", "").strip()
        if province:
            networks = networks.filter(province_code=province)
        if district:
            networks = networks.filter(area_code__startswith=district)
        if status == "none":
            networks = networks.filter(fund_record__isnull=True)
        elif status in FundStatus.values:
            networks = networks.filter(fund_record__status=status)
        if query:
            networks = networks.filter(title__icontains=query)
        networks = networks.annotate(grade=services.latest_grade_subquery("fund_record__id"))
        if grade == "none":
            networks = networks.filter(grade__isnull=True)
        elif grade in Grade.values:
            networks = networks.filter(grade=grade)
        networks = (
            networks.select_related("fund_record")
            .only("pk", "title", "area_code", "province_code", "level", "path", "fund_record")
            .order_by("province_code", "area_code", "path")
        )
        page = Paginator(networks, self.page_size).get_page(params.get("p"))
        for network in page.object_list:
            record = getattr(network, "fund_record", None) if _has_record(network) else None
            network.record = record
            network.district_label = district_name(network.area_code[:4], default=EMPTY)
            network.province_label = province_name(network.province_code, default=EMPTY)
        provinces = sorted(permissions.provinces_user_can_manage(user))
        district_province = province or (provinces[0] if len(provinces) == 1 else "")
        context.update({
            "page_obj": page,
            "funds": page.object_list,
            "filters": {"province": province, "district": district, "status": status, "grade": grade, "q": query},
            "district_choices": [(code, district_name(code)) for code in province_district_codes(district_province)],
            "province_choices": [(code, province_name(code)) for code in provinces] if len(provinces) < 77 else [],
            "status_choices": FundStatus.choices,
            "grade_choices": Grade.choices,
            "can_grade": bool(provinces),
        })
        return context


def _has_record(network):
    try:
        network.fund_record  # noqa: B018 - loaded by select_related; missing when the fund has none
    except FundRecord.DoesNotExist:
        return False
    return True


# --- One fund --------------------------------------------------------------------------------------


class FundScopedMixin:
    """The fund (a network) in the URL, refused unless the user may see it."""

    def dispatch(self, request, *args, **kwargs):
        self.network = get_object_or_404(services.fund_networks(), pk=kwargs["network_id"])
        if not permissions.can_view_fund(request.user, self.network):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def fund_breadcrumb(self):
        return {"url": reverse("funds:fund", args=(self.network.pk,)), "label": self.network.title}


class FundDetailView(FundScopedMixin, FundsView, TemplateView):
    template_name = "funds/fund_detail.html"

    def get_page_title(self):
        return self.network.title

    def get_page_subtitle(self):
        return _("District %(district)s, %(province)s") % {
            "district": district_name(self.network.area_code[:4], default=EMPTY),
            "province": province_name(self.network.province_code, default=EMPTY),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = FundRecord.objects.filter(network=self.network).first()
        reports, history, grades = [], [], []
        if record is not None:
            reports = list(
                record.year_reports.select_related("entered_by", "entered_for")
                .prefetch_related(Prefetch("members_by_category", queryset=FundYearMembers.objects.order_by("category")))
                .order_by("-year")
            )
            for report in reports:
                counts = {row.category: row.count for row in report.members_by_category.all()}
                report.category_counts = [counts.get(category.value) for category in MemberCategory]
            history = [
                {
                    "record": entry,
                    "change": HISTORY_TYPE_LABELS.get(entry.history_type, entry.history_type),
                    "values": [_display(entry, name) for name in RECORD_HISTORY_FIELDS]
                    + [entry.history_change_reason or EMPTY],
                }
                for entry in record.history.select_related("history_user").order_by("-history_date", "-history_id")
            ]
            grades = list(
                FundGrade.objects.filter(record=record).select_related("round", "assessed_by", "group")
                .order_by("-round__held_on", "-round_id")
            )
        context.update({
            "network": self.network,
            "record": record,
            "figures": _record_figures(record),
            "reports": reports,
            "categories": MemberCategory.choices,
            "history": history,
            "history_labels": [FundRecord._meta.get_field(name).verbose_name for name in RECORD_HISTORY_FIELDS]
            + [_("Reason")],
            "grades": grades,
            "current_grade": grades[0] if grades else None,
            "can_edit": permissions.can_edit_fund(self.request.user, self.network),
        })
        return context


def _display(record, name):
    """A field's value as shown: choices by label, dates in the Buddhist Era, baht with separators."""
    display = getattr(record, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(record, name)
    if value in (None, ""):
        return EMPTY
    if isinstance(value, datetime.date):
        return display_date(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return value


def _record_figures(record):
    """(label, value) of the fields of the record, for its definition list."""
    if record is None:
        return []
    names = ("status", "founded_year", "founded_on", "figures_year", *MEMBER_FIELDS, *MONEY_FIELDS)
    return [(FundRecord._meta.get_field(name).verbose_name, _display(record, name)) for name in names]


class FundYearReportView(FundScopedMixin, FundsView, FormView):
    template_name = "funds/fund_year_report.html"
    form_class = FundYearReportForm

    def get(self, request, *args, **kwargs):
        if not permissions.can_edit_fund(request.user, self.network):
            return refused(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not permissions.can_edit_fund(request.user, self.network):
            return refused(request)
        return super().post(request, *args, **kwargs)

    @cached_property
    def report(self):
        year = self.kwargs.get("year")
        if year is None:
            return None
        report = FundYearReport.objects.filter(record__network=self.network, year=year).first()
        if report is None:
            raise Http404
        return report

    def get_page_title(self):
        if self.report is not None:
            return _("Report %(year)s") % {"year": self.report.year}
        return _("New yearly report")

    def get_page_subtitle(self):
        return self.network.title

    def extra_breadcrumbs(self):
        return [self.fund_breadcrumb()]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["year_fixed"] = self.report is not None
        return kwargs

    def get_initial(self):
        report = self.report
        if report is None:
            record = FundRecord.objects.filter(network=self.network).first()
            if record is None:
                return {}
            # A new year starts from the record's figures: only what changed needs typing.
            return {name: getattr(record, name) for name in ("status", *MEMBER_FIELDS, *MONEY_FIELDS)}
        initial = {name: getattr(report, name) for name in ("year", "status", *MEMBER_FIELDS, *MONEY_FIELDS, "note")}
        for row in report.members_by_category.all():
            initial[category_field_name(row.category)] = row.count
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["network"] = self.network
        context["fund_url"] = reverse("funds:fund", args=(self.network.pk,))
        return context

    def form_valid(self, form):
        year = self.report.year if self.report is not None else form.cleaned_data["year"]
        if self.report is None and FundYearReport.objects.filter(record__network=self.network, year=year).exists():
            form.add_error("year", _("This fund already has a report for %(year)s; open it to change it.") % {"year": year})
            return self.form_invalid(form)
        user = self.request.user
        committee = permissions.editing_committee_network(user, self.network)
        try:
            services.save_year_report(
                self.network, year, form.values(), form.categories(), user=user,
                entered_for=NetworkPage.objects.get(pk=committee) if committee else None,
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationError as error:
            form.add_model_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report for %(year)s was saved.") % {"year": year})
        return HttpResponseRedirect(reverse("funds:fund", args=(self.network.pk,)))


# --- Assessment rounds -----------------------------------------------------------------------------


def rounds_for(user):
    """The rounds the user may open: those of the provinces they manage, and those naming them an assessor."""
    provinces = permissions.provinces_user_can_manage(user)
    return AssessmentRound.objects.filter(Q(province_code__in=provinces) | Q(assessors=user)).distinct()


class RoundIndexView(FundAccessOnly, FundsView, TemplateView):
    template_name = "funds/round_index.html"
    page_title = gettext_lazy("Assessment rounds")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = list(
            rounds_for(self.request.user).annotate(graded=Count("grades", distinct=True),
                                                   group_count=Count("groups", distinct=True))
            .order_by("-held_on", "-pk")[:200]
        )
        for assessment_round in rounds:
            assessment_round.province_label = province_name(assessment_round.province_code)
        context["rounds"] = rounds
        context["can_add"] = bool(permissions.provinces_user_can_manage(self.request.user))
        return context


class RoundCreateView(FundsView, FormView):
    template_name = "funds/round_form.html"
    form_class = AssessmentRoundForm
    page_title = gettext_lazy("New assessment round")

    def dispatch(self, request, *args, **kwargs):
        self.provinces = permissions.provinces_user_can_manage(request.user)
        if not self.provinces:
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def extra_breadcrumbs(self):
        return [{"url": reverse("funds:rounds"), "label": _("Assessment rounds")}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "provinces": self.provinces}

    def form_valid(self, form):
        with transaction.atomic():
            assessment_round = form.save(commit=False)
            assessment_round.created_by = self.request.user
            assessment_round._history_user = self.request.user
            assessment_round.save()
            form.save_m2m()
            # One group per district of the province, as the funds are graded in groups by district.
            AssessmentGroup.objects.bulk_create([
                AssessmentGroup(round=assessment_round, district_code=code,
                                name=_("District %(district)s") % {"district": district_name(code, english=False)})
                for code in province_district_codes(assessment_round.province_code)
            ])
        messages.success(self.request, _("The assessment round was created."))
        return HttpResponseRedirect(reverse("funds:round", args=(assessment_round.pk,)))


class RoundScopedMixin:
    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(AssessmentRound, pk=kwargs["round_id"])
        if not permissions.can_grade(request.user, self.round):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def round_breadcrumb(self):
        return {"url": reverse("funds:round", args=(self.round.pk,)), "label": self.round_title()}

    def round_title(self):
        return _("Assessment of %(province)s, %(date)s") % {
            "province": province_name(self.round.province_code), "date": display_date(self.round.held_on),
        }


def _group_funds(assessment_round, group):
    """The funds of a district's group: the tambon networks of the district, and networks with a record."""
    return list(
        services.fund_networks().filter(province_code=assessment_round.province_code,
                                        area_code__startswith=group.district_code)
        .distinct().only("pk", "title", "area_code", "province_code", "path").order_by("area_code", "path")
    )


class RoundDetailView(RoundScopedMixin, FundsView, TemplateView):
    template_name = "funds/round_detail.html"

    def get_page_title(self):
        return self.round_title()

    def extra_breadcrumbs(self):
        return [{"url": reverse("funds:rounds"), "label": _("Assessment rounds")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = list(self.round.groups.annotate(graded=Count("grades")).order_by("district_code"))
        per_district = {}
        for area_code in services.fund_networks().filter(province_code=self.round.province_code).values_list(
            "area_code", flat=True
        ):
            per_district[area_code[:4]] = per_district.get(area_code[:4], 0) + 1
        for group in groups:
            group.fund_count = per_district.get(group.district_code, 0)
            group.label = str(group)
        grade_counts = dict(self.round.grades.values_list("grade").annotate(n=Count("pk")).order_by())
        context.update({
            "round": self.round,
            "province_label": province_name(self.round.province_code),
            "groups": groups,
            "assessors": list(self.round.assessors.all()),
            "assessor_names": [line for line in self.round.assessor_names.splitlines() if line.strip()],
            "grade_counts": [(label, grade_counts.get(value, 0)) for value, label in Grade.choices],
        })
        return context


class GradeGroupView(RoundScopedMixin, FundsView, FormView):
    template_name = "funds/grade_group.html"
    form_class = GradeGroupForm

    @cached_property
    def group(self):
        return get_object_or_404(AssessmentGroup, pk=self.kwargs["group_id"], round=self.round)

    @cached_property
    def networks(self):
        return _group_funds(self.round, self.group)

    def get_page_title(self):
        return _("Grades: %(group)s") % {"group": self.group}

    def get_page_subtitle(self):
        return self.round_title()

    def extra_breadcrumbs(self):
        return [{"url": reverse("funds:rounds"), "label": _("Assessment rounds")}, self.round_breadcrumb()]

    def get_form_kwargs(self):
        existing = {
            network_id: (grade, justification)
            for network_id, grade, justification in FundGrade.objects.filter(
                round=self.round, record__network__in=[n.pk for n in self.networks]
            ).values_list("record__network_id", "grade", "justification")
        }
        return {**super().get_form_kwargs(), "networks": self.networks, "initial_grades": existing}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["round_url"] = reverse("funds:round", args=(self.round.pk,))
        context["grade_meanings"] = Grade.choices
        return context

    def form_valid(self, form):
        try:
            changes = services.grade_funds(self.round, form.entries(), user=self.request.user, group=self.group)
        except ValidationError as error:
            for network_id, errors in error.message_dict.items():
                form.add_error(f"justification_{network_id}", errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Grades saved (%(count)s changed).") % {"count": changes})
        return HttpResponseRedirect(reverse("funds:round", args=(self.round.pk,)))


# --- Summaries -------------------------------------------------------------------------------------


class SummaryMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.province = request.GET.get("province", "")
        self.district = request.GET.get("district", "")
        if not self.province:
            self.province = _default_province(user)
        if self.province and not is_province_code(self.province):
            raise Http404
        if self.district and (len(self.district) != 4 or not self.district.startswith(self.province)):
            raise Http404
        if self.province and not self.district and not permissions.can_view_summary(user, self.province):
            # A district's committee opens on its own district.
            districts = permissions.summary_districts(user, self.province)
            if districts and districts != "*":
                self.district = sorted(districts)[0]
        if not self.province or not permissions.can_view_summary(user, self.province, self.district):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def summary(self):
        return summaries.build_summary(self.province, self.district)


def _default_province(user):
    """The province a summary opens on: the user's only managed province, or their committee's."""
    managed = permissions.provinces_user_can_manage(user)
    if len(managed) == 1:
        return next(iter(managed))
    for _pk, _path, _level, province in permissions.committee_networks_of(user):
        if province:
            return province
    # Support staff and administrators manage every province: open on the first, with the province
    # choice on the page, rather than refusing.
    return min(managed, default="")


class SummaryView(SummaryMixin, FundsView, TemplateView):
    template_name = "funds/summary.html"

    def get_page_title(self):
        return self.summary.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = f"province={self.province}" + (f"&district={self.district}" if self.district else "")
        user = self.request.user
        context.update({
            "summary": self.summary,
            "charts": summaries.summary_charts(self.summary),
            "headers": summaries.table_headers(),
            "rows": [[_shown(value) for value in row] for row in summaries.table_rows(self.summary)],
            "csv_url": f"{reverse('funds:summary_csv')}?{query}",
            "xlsx_url": f"{reverse('funds:summary_xlsx')}?{query}",
            "province_url": f"{reverse('funds:summary')}?province={self.province}",
            "may_see_province": permissions.can_view_summary(user, self.province),
            "province_choices": [(code, province_name(code)) for code in sorted(permissions.provinces_user_can_manage(user))],
            "province": self.province,
            "district": self.district,
            "district_choices": [(code, district_name(code)) for code in province_district_codes(self.province)],
        })
        return context


def _shown(value):
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def _filename(summary, extension):
    return f"funds-{summary.province_code}{('-' + summary.district_code[2:]) if summary.district_code else ''}.{extension}"


class SummaryCsvView(SummaryMixin, FundsView, TemplateView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(summaries.summary_csv(self.summary), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(self.summary, "csv")}"'
        return response


class SummaryXlsxView(SummaryMixin, FundsView, TemplateView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            summaries.summary_xlsx(self.summary),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(self.summary, "xlsx")}"'
        return response

