"""The admin screens of the duties after registration (menu "Reports and notices"):

- the committee's organizations, each with its half-years and notices; the chair or secretary files a
  half-year report or a notice, and corrects a returned one;
- the registrar's queue of filings waiting for a decision, each accepted or returned with a reason;
- the organizations past a 30-day duty, for the registrar (all) and a provincial officer (their
  provinces only).

Every view checks the role on the server (a real 403 otherwise) and writes through registry.duties.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.geography import province_name
from people import roles

from . import duties
from .forms import ChangeNoticeForm, HalfYearReportForm, ReturnFilingForm
from .models import ChangeNotice, FilingStatus, HalfYearReport, NoticeKind, RegistryEntry, RegistryStatus

OVERDUE_PAGE_SIZE = 50
QUEUE_LIMIT = 100


def _refused(request):
    # A real 403: Wagtail's admin would turn a raised PermissionDenied into a redirect home.
    return permission_denied(request, PermissionDenied())


def may_read(user, entry):
    """The organization's committee, the officer of its province, registrars, support staff."""
    return bool(
        user.is_superuser
        or roles.is_registrar(user)
        or roles.is_support_staff(user)
        or roles.is_provincial_officer_for(user, entry.network)
        or roles.is_committee_member(user, entry.network_id)
    )


def files_for_an_organization(user):
    """The user sits on the committee of a registered organization (asked once per request: the admin
    menu asks on every page)."""
    cache = user.__dict__.setdefault("_registry_duties_cache", {})
    if "files" not in cache:
        networks = [seat[0] for seat in roles.committee_seats(user)]
        cache["files"] = bool(networks) and RegistryEntry.objects.filter(network_id__in=networks).exists()
    return cache["files"]


def has_duties_menu(user):
    return bool(roles.is_registrar(user) or roles.is_provincial_officer(user) or files_for_an_organization(user))


def my_entries(user):
    return duties.committee_entries(roles.committee_networks(user))


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DutiesView(WagtailAdminTemplateMixin):
    header_icon = "doc-full-inverse"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + self.extra_breadcrumbs() + [{"url": "", "label": self.get_page_title()}]

    def extra_breadcrumbs(self):
        return []


class EntryMixin(DutiesView):
    """A view of one organization's filings: read by may_read, written by its chair or secretary."""

    write = False

    @cached_property
    def entry(self):
        return get_object_or_404(
            RegistryEntry.objects.select_related("network").defer("registered_text"), pk=self.kwargs["entry_id"]
        )

    def dispatch(self, request, *args, **kwargs):
        allowed = duties.may_file(request.user, self.entry) if self.write else may_read(request.user, self.entry)
        if not allowed:
            return _refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.entry.organization_name

    def organization_url(self):
        return reverse("registry_duties:organization", args=(self.entry.pk,))

    def extra_breadcrumbs(self):
        return [{"url": self.organization_url(), "label": self.entry.organization_name}]


# --- The committee -------------------------------------------------------------------------------


class MyOrganizationsView(DutiesView, TemplateView):
    template_name = "registry/duties/index.html"
    page_title = gettext_lazy("Reports and notices")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        if not has_duties_menu(request.user):
            return _refused(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = []
        for entry in my_entries(self.request.user):
            filed = {report.period_end: report for report in entry.half_year_reports.all()}
            missing = [end for end in duties.periods_to_report(entry, today) if end not in filed]
            if entry.status != RegistryStatus.REGISTERED:
                missing = []  # a dissolved or revoked organization has nothing more due
            rows.append({"entry": entry, "missing": [(duties.period_label(end), duties.due_date(end)) for end in missing],
                         "may_file": duties.may_file(self.request.user, entry)})
        context["rows"] = rows
        context["is_registrar"] = roles.is_registrar(self.request.user)
        context["is_officer"] = roles.is_provincial_officer(self.request.user)
        return context


class OrganizationView(EntryMixin, TemplateView):
    template_name = "registry/duties/organization.html"
    page_title = gettext_lazy("Reports and notices")

    def extra_breadcrumbs(self):
        return [{"url": reverse("registry_duties:index"), "label": _("Reports and notices")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.entry
        today = timezone.localdate()
        reports = list(entry.half_year_reports.select_related("filed_by", "decided_by").order_by("-period_end"))
        by_period = {report.period_end: report for report in reports}
        standing = entry.status == RegistryStatus.REGISTERED
        periods = []
        for end in duties.periods_to_report(entry, today):
            report = by_period.get(end)
            due = duties.due_date(end)
            periods.append({
                "label": duties.period_label(end), "due": due, "report": report,
                "overdue": standing and due < today and (report is None or report.status == FilingStatus.RETURNED),
            })
        notices_due = list(duties.open_notices_due([entry.pk]))
        notice_add = reverse("registry_duties:notice_add", args=(entry.pk,))
        for due in notices_due:
            due.due = duties.due_date(due.changed_on)
            due.overdue = due.due < today
            due.file_url = f"{notice_add}?{urlencode({'kind': due.kind, 'changed_on': due.changed_on.isoformat()})}"
        context.update(
            entry=entry,
            periods=periods,
            reports=reports,
            notices=list(entry.change_notices.select_related("filed_by", "decided_by").order_by("-changed_on")),
            notices_due=notices_due,
            may_file=duties.may_file(self.request.user, entry),
            ended_message=None if standing else duties.no_more_filings_message(entry),
            province=province_name(entry.network.province_code or ""),
        )
        return context


class FilingFormView(EntryMixin, FormView):
    """Files a half-year report or a notice with the registrar, or corrects the one named by `pk` while
    it may still be corrected (filed or returned, not accepted)."""

    write = True
    filings = None  # the entry's filings of this kind, a queryset
    accepted_message = None  # said when the one asked for was accepted

    @cached_property
    def filing(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.filings, pk=self.kwargs["pk"], entry=self.entry)

    def get(self, request, *args, **kwargs):
        if self.filing is not None and not self.filing.may_be_corrected:
            messages.warning(request, self.accepted_message)
            return HttpResponseRedirect(self.organization_url())
        return super().get(request, *args, **kwargs)


class ReportFormView(FilingFormView):
    template_name = "registry/duties/report_form.html"
    form_class = HalfYearReportForm
    filings = HalfYearReport.objects.prefetch_related("money")
    accepted_message = gettext_lazy("This report was accepted: it can no longer be changed.")

    @property
    def report(self):
        return self.filing

    def get_page_title(self):
        return _("Correct the half-year report") if self.report else _("File a half-year report")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(entry=self.entry, report=self.report)
        if self.report is not None and self.request.method == "GET":
            kwargs["initial"] = HalfYearReportForm.initial_for(self.report)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(entry=self.entry, report=self.report, cancel_url=self.organization_url())
        return context

    def form_valid(self, form):
        try:
            report = duties.file_report(
                self.entry, self.request.user, period_end=form.cleaned_data["period_end"],
                activities=form.cleaned_data["activities"], members=form.cleaned_data["members"],
                money=form.money(), report=self.report,
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The half-year report for %(period)s was filed with the registrar.")
            % {"period": duties.period_label(report.period_end)},
        )
        return HttpResponseRedirect(reverse("registry_duties:report", args=(report.pk,)))


class NoticeFormView(FilingFormView):
    template_name = "registry/duties/notice_form.html"
    form_class = ChangeNoticeForm
    filings = ChangeNotice.objects.all()
    accepted_message = gettext_lazy("This notice was accepted: it can no longer be changed.")

    @property
    def notice(self):
        return self.filing

    def get_page_title(self):
        return _("Correct the notice") if self.notice else _("File a notice of a change")

    def get_initial(self):
        if self.notice is None:
            return self.initial_from_query()
        notice = self.notice
        return {"kind": notice.kind, "changed_on": notice.changed_on, "new_name": notice.new_name,
                "details": notice.details}

    def initial_from_query(self):
        """The kind and date of a change the site saw (the "File the notice" button of a notice due):
        only a known kind and a real date are taken; anything else leaves the form empty."""
        initial = {}
        if self.request.GET.get("kind") in NoticeKind.values:
            initial["kind"] = self.request.GET["kind"]
        try:
            initial["changed_on"] = datetime.date.fromisoformat(self.request.GET.get("changed_on", ""))
        except ValueError:
            pass
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(entry=self.entry, notice=self.notice, cancel_url=self.organization_url())
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            notice = duties.file_notice(
                self.entry, self.request.user, kind=data["kind"], changed_on=data["changed_on"],
                details=data["details"], new_name=data["new_name"], notice=self.notice,
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The notice was filed with the registrar."))
        return HttpResponseRedirect(reverse("registry_duties:notice", args=(notice.pk,)))


# --- A filing, and the registrar's decision ------------------------------------------------------


class FilingView(DutiesView, FormView):
    """One report or notice; the registrar accepts it or returns it with a reason (POST)."""

    model = None
    form_class = ReturnFilingForm

    @cached_property
    def filing(self):
        return get_object_or_404(
            self.model.objects.select_related("entry__network", "filed_by", "decided_by").defer("entry__registered_text"),
            pk=self.kwargs["pk"],
        )

    @property
    def entry(self):
        return self.filing.entry

    def dispatch(self, request, *args, **kwargs):
        if not may_read(request.user, self.filing.entry):
            return _refused(request)
        if request.method == "POST" and not roles.is_registrar(request.user):
            return _refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.filing.entry.organization_name

    def extra_breadcrumbs(self):
        items = [{"url": reverse("registry_duties:organization", args=(self.entry.pk,)), "label": self.entry.organization_name}]
        if roles.is_registrar(self.request.user):
            items.insert(0, {"url": reverse("registry_duties:queue"), "label": _("Waiting for the registrar")})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.filing
        context.update(
            filing=filing,
            entry=filing.entry,
            may_decide=roles.is_registrar(self.request.user) and filing.status == FilingStatus.FILED,
            may_correct=filing.may_be_corrected and duties.may_file(self.request.user, filing.entry),
            organization_url=reverse("registry_duties:organization", args=(filing.entry.pk,)),
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "accept":
            try:
                duties.accept(self.filing, request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return HttpResponseRedirect(request.path)
            messages.success(request, _("Accepted; the committee is told by e-mail."))
            return HttpResponseRedirect(reverse("registry_duties:queue"))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            duties.return_filing(self.filing, self.request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Returned to the committee with the reason; they are told by e-mail."))
        return HttpResponseRedirect(reverse("registry_duties:queue"))


class ReportView(FilingView):
    model = HalfYearReport
    template_name = "registry/duties/report.html"

    def get_page_title(self):
        return _("Half-year report %(period)s") % {"period": duties.period_label(self.filing.period_end)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(self.filing.money.all())
        context["money"] = lines
        context["received_total"] = sum(line.received for line in lines)
        context["spent_total"] = sum(line.spent for line in lines)
        context["due"] = duties.due_date(self.filing.period_end)
        context["edit_url"] = reverse("registry_duties:report_edit", args=(self.entry.pk, self.filing.pk))
        return context


class NoticeView(FilingView):
    model = ChangeNotice
    template_name = "registry/duties/notice.html"

    def get_page_title(self):
        return self.filing.get_kind_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["due"] = duties.due_date(self.filing.changed_on)
        context["edit_url"] = reverse("registry_duties:notice_edit", args=(self.entry.pk, self.filing.pk))
        return context


# --- The registrar's queue and the overdue organizations -----------------------------------------


class QueueView(DutiesView, TemplateView):
    template_name = "registry/duties/queue.html"
    page_title = gettext_lazy("Waiting for the registrar")

    def dispatch(self, request, *args, **kwargs):
        if not roles.is_registrar(request.user):
            return _refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = duties.waiting_reports()
        notices = duties.waiting_notices()
        context.update(
            reports=list(reports[:QUEUE_LIMIT]), report_count=reports.count(),
            notices=list(notices[:QUEUE_LIMIT]), notice_count=notices.count(),
        )
        for report in context["reports"]:
            report.period = duties.period_label(report.period_end)
            report.due = duties.due_date(report.period_end)
            report.late = timezone.localdate(report.filed_at) > report.due
        for notice in context["notices"]:
            notice.due = duties.due_date(notice.changed_on)
            notice.late = timezone.localdate(notice.filed_at) > notice.due
        return context


class OverdueFilterForm(forms.Form):
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)

    def __init__(self, *args, province_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All"))] + [
            (code, province_name(code)) for code in sorted(province_codes)
        ]


class OverdueView(DutiesView, TemplateView):
    template_name = "registry/duties/overdue.html"
    page_title = gettext_lazy("Organizations past a 30-day duty")

    def dispatch(self, request, *args, **kwargs):
        if not (roles.is_registrar(request.user) or roles.is_provincial_officer(request.user)):
            return _refused(request)
        return super().dispatch(request, *args, **kwargs)

    def province_codes(self):
        """None: every province (a registrar); else the officer's own provinces, never another."""
        if roles.is_registrar(self.request.user):
            return None
        return roles.officer_province_codes(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        codes = self.province_codes()
        form = None
        if codes is not None and len(codes) > 1:
            form = OverdueFilterForm(self.request.GET or None, province_codes=codes)
            if form.is_valid() and form.cleaned_data["province"]:
                codes = {form.cleaned_data["province"]}
        entries, periods = duties.overdue_entries(province_codes=codes)
        page = Paginator(entries, OVERDUE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        entries = list(page.object_list)
        cutoff = timezone.localdate() - datetime.timedelta(days=duties.DUE_DAYS)
        # The page's notices due past their 30 days, in one query.
        notices_due = duties.open_notices_due_by_entry([entry.pk for entry in entries], changed_before=cutoff)
        rows = [
            {"entry": entry, "province": province_name(entry.network.province_code or ""),
             "duties": duties.describe_overdue(entry, periods, notices_due[entry.pk])}
            for entry in entries
        ]
        context.update(form=form, page_obj=page, rows=rows, today=timezone.localdate())
        return context
