"""The admin screen where the entitled set k for the threshold-capable steps (workflows.thresholds):
a network's chair or secretary for its committee steps, a registrar for the provincial review of each
province. Every scope offered is re-checked on the server when the form is posted."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.geography import province_name
from networks.models import NetworkPage

from .models import ApprovalThreshold
from .road import THRESHOLD_PER_NETWORK, step_by_key
from .thresholds import _holders_for_scope, set_threshold, settable_scopes


class ThresholdForm(forms.Form):
    step_key = forms.CharField(widget=forms.HiddenInput)
    network = forms.IntegerField(widget=forms.HiddenInput, required=False)
    province_code = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2)
    required_approvals = forms.IntegerField(
        label=gettext_lazy("Approvals required"),
        min_value=1,
        error_messages={
            "required": gettext_lazy("Give the number of approvals required."),
            "invalid": gettext_lazy("Give a whole number."),
            "min_value": gettext_lazy("At least one approval is required."),
        },
    )


class ApprovalThresholdsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/thresholds/index.html"
    # Wagtail's admin wraps the view; the entitlement is per scope (settable_scopes), checked again on POST.
    page_title = gettext_lazy("Approvals required")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.scopes = settable_scopes(request.user)
        if not self.scopes and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def rows(self, bound=None):
        current = {
            (t.step_key, t.network_id, t.province_code): t.required_approvals
            for t in ApprovalThreshold.objects.all()
        }
        rows = []
        for step, network, code in self.scopes:
            key = (step.key, network.pk if network else None, code)
            initial = {
                "step_key": step.key,
                "network": network.pk if network else None,
                "province_code": code,
                "required_approvals": current.get(key, 1),
            }
            form = bound if bound is not None and _key_of(bound) == key else ThresholdForm(initial=initial)
            rows.append({
                "step": step,
                "scope": network.title if network else province_name(code, english=False, default=code),
                "required": current.get(key, 1),
                "holders": _holders_for_scope(step, network, code),
                "form": form,
            })
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows(kwargs.get("bound"))
        return context

    def post(self, request, *args, **kwargs):
        form = ThresholdForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            step = step_by_key(data["step_key"])
            network = None
            if step is not None and step.threshold == THRESHOLD_PER_NETWORK:
                network = NetworkPage.objects.filter(pk=data.get("network") or 0).first()
            try:
                set_threshold(
                    request.user, data["step_key"], data["required_approvals"],
                    network=network, province_code=data.get("province_code") or "",
                )
            except ValidationError as error:
                form.add_error("required_approvals", error)
            else:
                messages.success(request, _("The number of approvals required was saved."))
                return redirect("workflows_approval_thresholds")
        messages.error(request, _("The number of approvals was not saved. Nothing was changed."))
        return self.render_to_response(self.get_context_data(bound=form), status=400)


def _key_of(form):
    data = form.data
    network = data.get("network") or None
    return (data.get("step_key"), int(network) if network and str(network).isdigit() else None,
            data.get("province_code") or "")
