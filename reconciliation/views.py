"""The reconciliation screens of the admin (menu "Community welfare funds" → "Reconcile the 3 sources").

Every view checks on the server who may see or do what (reconciliation.permissions); a refusal is a
real 403. Listings read a fixed number of queries whatever the number of funds or rows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.admin_views import SectionView, refused
from core.geography import district_name, is_province_code, province_name
from funds.models import RECONCILED_FIELDS
from funds.services import fund_networks
from networks.models import NetworkLevel, NetworkPage

from . import exports, permissions, services
from .forms import MappingForm, ResolveForm, UploadForm
from .models import SOURCES, PendingUpload, RowStatus, Source, SourceImport
from .reading import TableError, read_table

STATE_LABELS = {
    "agree": gettext_lazy("agree"), "disagree": gettext_lazy("disagree"), "resolved": gettext_lazy("resolved"),
    "empty": gettext_lazy("no value"), "absent": gettext_lazy("in no source"),
}


def source_labels():
    return [(source, Source(source).label) for source in SOURCES]


class ReconciliationView(SectionView, TemplateView):
    header_icon = "table"
    section_url_name = "reconciliation:index"
    section_label = gettext_lazy("Reconcile the 3 sources")

    def province_breadcrumb(self, code):
        return {"url": reverse("reconciliation:province", args=[code]), "label": province_name(code)}


class ProvinceScopedMixin:
    """Views of one province: `self.province` (its network), `self.paths` (what the user may read),
    `self.can_manage`."""

    manage_only = False

    def dispatch(self, request, *args, **kwargs):
        code = kwargs["province_code"]
        if not is_province_code(code):
            return refused(request)
        self.province_code = code
        self.province = NetworkPage.objects.filter(level=NetworkLevel.PROVINCE, province_code=code).first()
        if self.province is None:
            return refused(request)
        self.can_manage = permissions.can_manage(request.user, code)
        self.paths = permissions.readable_paths(request.user, self.province)
        if not self.paths or (self.manage_only and not self.can_manage):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def whole_province(self):
        return self.paths == [self.province.path]

    def visible_funds(self):
        funds = fund_networks().filter(province_code=self.province_code)
        return funds if self.whole_province else funds.filter(permissions.path_filter(self.paths))


class BelowProvinceMixin(ProvinceScopedMixin):
    """A page below a province's own (a district, an upload, the rows waiting): its breadcrumbs lead back."""

    def extra_breadcrumbs(self):
        return [self.province_breadcrumb(self.province_code)]


class IndexView(ReconciliationView):
    template_name = "reconciliation/index.html"
    page_title = gettext_lazy("Reconcile the 3 sources")
    section_url_name = None

    def dispatch(self, request, *args, **kwargs):
        self.codes = permissions.readable_provinces(request.user)
        if not self.codes:
            return refused(request)
        if len(self.codes) == 1:
            return HttpResponseRedirect(reverse("reconciliation:province", args=[self.codes[0]]))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provinces"] = sorted(((code, province_name(code)) for code in self.codes), key=lambda p: p[1])
        return context


class ProvinceView(ProvinceScopedMixin, ReconciliationView):
    """Progress per district: funds that agree, disagree, are missing in a source; rows without a fund."""

    template_name = "reconciliation/province.html"

    def get_page_title(self):
        return _("Reconciliation: %(province)s") % {"province": province_name(self.province_code)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparisons = services.compare_funds(self.province_code, self.visible_funds())
        district_codes = None if self.whole_province else {c.district_code for c in comparisons}
        progress = services.district_progress(self.province_code, comparisons, district_codes)
        for entry in progress:
            entry.missing_list = [entry.missing[source] for source in SOURCES]
            entry.name = district_name(entry.code, default=entry.title)
        imports = {imp.source: imp for imp in SourceImport.objects.current(self.province_code)
                   .select_related("imported_by")}
        context.update(
            province_code=self.province_code,
            progress=progress,
            totals=services.counts(self.province_code, comparisons) if self.whole_province else None,
            sources=[(source, label, imports.get(source)) for source, label in source_labels()],
            can_manage=self.can_manage,
            waiting=services.unmatched_rows(self.province_code).filter(status=RowStatus.AMBIGUOUS).count()
            if self.can_manage else 0,
        )
        return context

    def post(self, request, *args, **kwargs):
        """Write the values the sources agree on to the fund records (managers only)."""
        if not self.can_manage:
            return refused(request)
        updated, not_applied = services.apply_agreed(self.province_code, user=request.user)
        messages.success(request, _("Fund records updated with the agreed values: %(count)s.") % {"count": updated})
        for title, problems in not_applied.items():
            messages.error(request, f"{title}: {' '.join(problems)}")
        return HttpResponseRedirect(request.path)


class DistrictView(BelowProvinceMixin, ReconciliationView):
    template_name = "reconciliation/district.html"

    def dispatch(self, request, *args, **kwargs):
        self.district_code = kwargs["district_code"]
        if not self.district_code.startswith(kwargs["province_code"]) or len(self.district_code) != 4:
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def district_funds(self):
        return self.visible_funds().filter(area_code__startswith=self.district_code)

    def get_page_title(self):
        return district_name(self.district_code)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparisons = [c for c in services.compare_funds(self.province_code, self.district_funds()) if c.mentioned]
        for comparison in comparisons:
            comparison.state_label = STATE_LABELS[comparison.state]
            comparison.open_labels = [state.label for state in comparison.open_fields]
            comparison.missing_labels = [Source(source).label for source in comparison.missing_in]
        context.update(province_code=self.province_code, district_code=self.district_code, funds=comparisons)
        return context

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            comparisons = services.compare_funds(self.province_code, self.district_funds())
            content = exports.open_disagreements_xlsx(comparisons, self.district_code)
            response = HttpResponse(
                content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="disagreements-{self.district_code}.xlsx"'
            return response
        return super().get(request, *args, **kwargs)


class FundView(ReconciliationView):
    """One fund, side by side: what each source says, the fund record's value, and the forms that
    settle each disagreement."""

    template_name = "reconciliation/fund.html"

    def dispatch(self, request, *args, **kwargs):
        self.network = get_object_or_404(fund_networks(), pk=kwargs["network_id"])
        province = NetworkPage.objects.filter(level=NetworkLevel.PROVINCE,
                                              province_code=self.network.province_code).first()
        paths = permissions.readable_paths(request.user, province) if province else []
        if not any(self.network.path.startswith(path) for path in paths):
            return refused(request)
        self.can_manage = permissions.can_manage(request.user, self.network.province_code)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.network.title

    def extra_breadcrumbs(self):
        code = self.network.province_code
        return [
            self.province_breadcrumb(code),
            {"url": reverse("reconciliation:district", args=[code, self.network.area_code[:4]]),
             "label": district_name(self.network.area_code[:4])},
        ]

    def post(self, request, *args, **kwargs):
        if not self.can_manage:
            return refused(request)
        form = ResolveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            choice = data["choice"]
            try:
                services.resolve(
                    self.network, data["field_name"], user=request.user, reason=data["reason"],
                    source=None if choice == "manual" else choice,
                    value=data["value"] if choice == "manual" else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The value of “%(field)s” is settled and written to the fund record.")
                                 % {"field": services.field_label(data["field_name"])})
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(failed_form=form))

    def get_context_data(self, failed_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        comparison = services.compare_funds(
            self.network.province_code, NetworkPage.objects.filter(pk=self.network.pk), with_rows=True
        )[0]
        imported = list(comparison.present)
        resolutions = list(self.network.reconciliation_resolutions.select_related("resolved_by")[:20])
        for resolution in resolutions:
            resolution.field_label = services.field_label(resolution.field_name)
            resolution.display_value = services.display_value(resolution.field_name, resolution.value)
        rows = []
        for state in comparison.fields:
            cells = [(source, state.by_source.get(source), services.display_value(state.name, state.by_source.get(source)))
                     for source in imported]
            form = None
            if self.can_manage and state.state in ("disagree", "resolved"):
                if failed_form is not None and failed_form.data.get("field_name") == state.name:
                    form = failed_form
                else:
                    form = ResolveForm(initial={"field_name": state.name}, prefix=None)
            rows.append({
                "state": state, "cells": cells, "state_label": STATE_LABELS[state.state],
                "record": services.display_value(state.name, state.record_value), "form": form,
                "choices": [(source, Source(source).label, display) for source, value, display in cells
                            if value is not None],
                "resolution_value": state.resolution and services.display_value(state.name, state.resolution.value),
            })
        context.update(
            fund=self.network, comparison=comparison, rows=rows, can_manage=self.can_manage,
            sources=[(source, Source(source).label, comparison.present[source]) for source in imported],
            not_imported=[Source(source).label for source in SOURCES if source not in comparison.present],
            resolutions=resolutions, columns=len(imported) + 3,
        )
        return context


class UploadView(BelowProvinceMixin, ReconciliationView):
    template_name = "reconciliation/upload.html"
    manage_only = True

    def get_page_title(self):
        return _("Import a source file")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=form or UploadForm(), province_code=self.province_code)
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                pending, _table = services.store_upload(
                    upload.read(), upload.name, source=form.cleaned_data["source"],
                    province_code=self.province_code, user=request.user,
                )
            except TableError as error:
                form.add_error("file", str(error))
            else:
                return HttpResponseRedirect(reverse("reconciliation:preview", args=[pending.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class PreviewView(ReconciliationView):
    """The column mapping and the preview of every row; nothing is imported until it is confirmed."""

    template_name = "reconciliation/preview.html"

    def dispatch(self, request, *args, **kwargs):
        self.upload = get_object_or_404(PendingUpload, pk=kwargs["upload_id"])
        if self.upload.uploaded_by_id != request.user.pk or not permissions.can_manage(
            request.user, self.upload.province_code
        ):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Columns and preview: %(file)s") % {"file": self.upload.original_name}

    def extra_breadcrumbs(self):
        return [self.province_breadcrumb(self.upload.province_code)]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        preview, diff, error = None, None, None
        try:
            table_preview = services.preview_upload(self.upload, form.mapping() if form is not None and form.is_valid() else None)
        except TableError as problem:
            error = str(problem)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            preview = table_preview
            diff = services.diff_preview(preview)
        if form is None:
            headers = self._table_headers()
            form = MappingForm(headers, initial_mapping=self.upload.column_mapping)
        context.update(upload=self.upload, form=form, preview=preview, diff=diff, error=error,
                       source_label=Source(self.upload.source).label, fields=RECONCILED_FIELDS,
                       field_labels=[services.field_label(name) for name in RECONCILED_FIELDS])
        if preview is not None:
            context["preview_rows"] = [self._row(row) for row in preview.rows]
        return context

    def _table_headers(self):
        self.upload.file.open("rb")
        try:
            return read_table(self.upload.file.read(), self.upload.original_name).headers
        finally:
            self.upload.file.close()

    def _row(self, row):
        values = [services.display_value(name, row.values.get(name)) for name in RECONCILED_FIELDS]
        match = row.match
        return {
            "number": row.number, "name": row.identity.get("fund_name") or row.identity.get("tambon_code"),
            "district": row.identity.get("district", ""), "values": values, "notes": row.notes,
            "errors": row.errors, "status": match.status if match else "refused",
            "status_label": RowStatus(match.status).label if match else _("Refused"),
            "fund": match and match.network_id and next(
                (c["title"] for c in match.candidates if c["id"] == match.network_id), None),
            "method": match.method if match else "", "score": match.score if match else None,
            "candidates": match.candidates if match else [],
        }

    def post(self, request, *args, **kwargs):
        form = MappingForm(self._table_headers(), request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        mapping = form.mapping()
        if "confirm" in request.POST:
            try:
                source_import = services.confirm_upload(self.upload, mapping, user=request.user)
            except (ValidationError, TableError) as error:
                form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(request, _("Imported %(rows)s rows of “%(file)s”; %(refused)s rows refused.") % {
                "rows": source_import.rows.count(), "file": source_import.original_name,
                "refused": len(source_import.refused_rows)})
            return HttpResponseRedirect(reverse("reconciliation:import", args=[source_import.pk]))
        try:
            services.validate_mapping(mapping)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            self.upload.column_mapping = mapping
            self.upload.save(update_fields=["column_mapping"])
        return self.render_to_response(self.get_context_data(form=form))


class ImportView(ReconciliationView):
    """One import: the file, who and when, the rows refused and why, what changed since the import it
    replaced, and every row with its match."""

    template_name = "reconciliation/import.html"

    def dispatch(self, request, *args, **kwargs):
        self.source_import = get_object_or_404(SourceImport.objects.select_related("imported_by"), pk=kwargs["import_id"])
        if not permissions.can_manage(request.user, self.source_import.province_code):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.source_import)

    def extra_breadcrumbs(self):
        return [self.province_breadcrumb(self.source_import.province_code)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(self.source_import.rows.select_related("network").order_by("row_number"))
        for row in rows:
            row.display_values = [services.display_value(name, row.values.get(name)) for name in RECONCILED_FIELDS]
        context.update(
            source_import=self.source_import, rows=rows, diff=services.diff_import(self.source_import),
            field_labels=[services.field_label(name) for name in RECONCILED_FIELDS],
            is_current=not SourceImport.objects.filter(previous=self.source_import).exists(),
        )
        return context


class ImportFileView(ImportView):
    """The file of an import as it was uploaded, to the province's managers only (media is not served
    publicly: README, "Running in production")."""

    def get(self, request, *args, **kwargs):
        source_import = self.source_import
        return FileResponse(source_import.file.open("rb"), as_attachment=True, filename=source_import.original_name)


class RowsView(BelowProvinceMixin, ReconciliationView):
    """Rows of the current imports without a fund: choose the fund of an ambiguous row among its
    candidates (or by tambon code), or say it is none of them."""

    template_name = "reconciliation/rows.html"
    manage_only = True

    def get_page_title(self):
        return _("Rows waiting for a fund")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(services.unmatched_rows(self.province_code).select_related("source_import")
                    .order_by("status", "source_import__source", "row_number"))
        for row in rows:
            row.source_label = Source(row.source_import.source).label
        context.update(rows=rows, province_code=self.province_code)
        return context

    def post(self, request, *args, **kwargs):
        row = get_object_or_404(services.unmatched_rows(self.province_code), pk=request.POST.get("row") or 0)
        funds = fund_networks().filter(province_code=self.province_code)
        code, choice = (request.POST.get("code") or "").strip(), (request.POST.get("network") or "").strip()
        network = None
        if code:
            network = funds.filter(area_code=code).first()
            if network is None:
                messages.error(request, _("No fund of this province has the code %(code)s.") % {"code": code})
                return HttpResponseRedirect(request.path)
        elif choice != "none":
            network = funds.filter(pk=choice).first() if choice.isdigit() else None
            if network is None:
                messages.error(request, _("Choose a fund of this province."))
                return HttpResponseRedirect(request.path)
        try:
            services.choose_fund(row, network, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Row %(row)s: saved.") % {"row": row.row_number})
        return HttpResponseRedirect(request.path)
