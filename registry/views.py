"""The registrar's screens in the Wagtail admin: the registry listing and entry pages, revocation,
and the numbered announcements.

Reading goes through RegistryPermissionPolicy; every writing view checks the registrar's role on the
server (PermissionDenied, a 403, for anyone else) and writes only through registry.services.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, HeaderButton

from core import providers
from core.admin_views import UserCheckedMixin
from core.geography import province_choices, province_name
from core.widgets import BuddhistDateField
from people.roles import is_registrar
from people.views import EMPTY, display_date

from . import services
from .models import RegistrationAnnouncement, RegistryEntry, RegistryStatus


def _province_choices():
    return province_choices(with_code=True)


def _province_name(code):
    return province_name(code or "", default=EMPTY)


def _user_name(user):
    if user is None:
        return EMPTY
    return user.get_full_name() or user.get_username()


# --- Registry entries ----------------------------------------------------------------------------


class RegistryEntryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistryStatus.choices)
    province = django_filters.ChoiceFilter(
        label=_("Province"), field_name="network__province_code", choices=_province_choices
    )

    class Meta:
        model = RegistryEntry
        fields = []


class IssueAnnouncementButtonMixin:
    """The registrar's way to the announcement, from the listings of entries and of announcements."""

    issue_button_icon = "doc-full"

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if is_registrar(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Issue announcement"),
                    url=reverse("registrationannouncement:issue"),
                    icon_name=self.issue_button_icon,
                )
            )
        return buttons


class RegistryEntryIndexView(IssueAnnouncementButtonMixin, ModelViewSet.index_view_class):
    def get_base_queryset(self):
        # Everything a row shows comes from this one query: no query per row.
        return (
            super()
            .get_base_queryset()
            .annotate(province_code=F("network__province_code"))
            .defer("registered_text")
        )


def official_pdf_buttons(obj):
    """Links to the certificate or the announcement PDF (documents, through core.providers): the
    registrar opens the PDF from the record, not by searching the documents."""
    return [
        Button(label, url=url, icon_name="doc-full", priority=15, attrs={"target": "_blank", "rel": "noreferrer"})
        for label, url in providers.official_pdf_links(obj)
    ]


class RegistryEntryInspectView(ModelViewSet.inspect_view_class):
    template_name = "registry/registryentry_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            RegistryEntry.objects.select_related("network", "registered_by", "revoked_by", "announced__announcement"),
            pk=self.pk,
        )

    def get_registered_on_display_value(self):
        return display_date(self.object.registered_on)

    def get_revoked_on_display_value(self):
        return display_date(self.object.revoked_on)

    def get_dissolved_on_display_value(self):
        return display_date(self.object.dissolved_on)

    def get_network_display_value(self):
        return f"{self.object.network.title} ({_province_name(self.object.network.province_code)})"

    def get_registered_by_display_value(self):
        return _user_name(self.object.registered_by)

    def get_revoked_by_display_value(self):
        return _user_name(self.object.revoked_by) if self.object.is_revoked else EMPTY

    def _entry_button(self, label, url_name, icon_name, priority):
        return Button(label, url=reverse(url_name, args=(self.object.pk,)), icon_name=icon_name, priority=priority)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(self._entry_button(_("History"), "registryentry:history", "history", 20))
        buttons += official_pdf_buttons(self.object)
        if self.object.status == RegistryStatus.REGISTERED and is_registrar(self.request.user):
            buttons.append(self._entry_button(_("Revoke certification"), "registryentry:revoke", "warning", 30))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        context["amendments"] = list(entry.amendments.select_related("registered_by").defer("registered_text"))
        records = entry.history.select_related("history_user").defer("registered_text")
        context["history"] = [
            {
                "record": record,
                "change": record.get_history_type_display(),
                "values": [
                    record.get_status_display(),
                    record.version_label or EMPTY,
                    record.history_change_reason or EMPTY,
                ],
            }
            for record in records.order_by("-history_date", "-history_id")
        ]
        context["history_labels"] = [_("Status"), _("Version"), _("Reason")]
        announced = getattr(entry, "announced", None) if hasattr(entry, "announced") else None
        context["announcement"] = announced.announcement if announced else None
        return context


class RegistryEntryHistoryView(ModelViewSet.history_view_class):
    # Wagtail's default asks for add/change/delete; here reading the registry is enough.
    any_permission_required = ["view"]


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example dishonest conduct, breaking the rules or no results. The reason is public."),
        error_messages={"required": _("Give the reason for revoking the registration.")},
    )
    revoked_on = BuddhistDateField(
        label=_("Revoked on"), required=False, help_text=_("Leave empty for today.")
    )

    def clean_revoked_on(self):
        value = self.cleaned_data.get("revoked_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("The date of revocation cannot be in the future."))
        return value


class RegistrarOnlyMixin(UserCheckedMixin):
    """Refuse anyone without an active registrar record, on every method, before anything else."""

    def allows(self, user):
        return is_registrar(user)


class RevokeView(RegistrarOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "registry/revoke.html"
    form_class = RevocationForm
    page_title = _("Revoke certification")
    header_icon = "warning"

    @cached_property
    def entry(self):
        return get_object_or_404(RegistryEntry.objects.select_related("network"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.entry)

    def inspect_url(self):
        return reverse("registryentry:inspect", args=(self.entry.pk,))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("registryentry:index"), "label": capfirst(RegistryEntry._meta.verbose_name_plural)},
            {"url": self.inspect_url(), "label": self.entry.registration_number},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if self.entry.is_revoked:
            messages.warning(request, _("This registration is already revoked."))
            return HttpResponseRedirect(self.inspect_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entry"] = self.entry
        context["inspect_url"] = self.inspect_url()
        return context

    def form_valid(self, form):
        try:
            services.revoke(
                self.entry, self.request.user, form.cleaned_data["reason"], on_date=form.cleaned_data["revoked_on"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The registration %(number)s was revoked.") % {"number": self.entry.registration_number},
        )
        return HttpResponseRedirect(self.inspect_url())


class RegistryEntryViewSet(ModelViewSet):
    model = RegistryEntry
    icon = "clipboard-list"
    menu_label = _("Registry")
    menu_order = 100
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = RegistryEntryIndexView
    inspect_view_class = RegistryEntryInspectView
    history_view_class = RegistryEntryHistoryView
    filterset_class = RegistryEntryFilterSet
    search_fields = ["registration_number", "organization_name"]
    # No add or edit view is reachable (the permission policy refuses them); entries are written
    # only by registry.services. ModelViewSet still wants a form definition.
    form_fields = ["conditions"]
    list_per_page = 50
    list_display = [
        # Each row opens the entry (the edit view the title would link to is refused to everyone).
        TitleColumn(
            "registration_number", label=_("Registration number"),
            get_url=lambda entry: reverse("registryentry:inspect", args=(entry.pk,)),
        ),
        Column("organization_name", label=_("Organization")),
        Column("province", label=_("Province"), accessor=lambda entry: _province_name(entry.province_code)),
        Column("registered_on", label=_("Registered on"), accessor=lambda entry: display_date(entry.registered_on)),
        StatusTagColumn(
            "status", label=_("Status"), accessor="get_status_display",
            primary=lambda entry: entry.status == RegistryStatus.REGISTERED,
        ),
    ]
    inspect_view_fields = [
        "registration_number",
        "organization_name",
        "network",
        "status",
        "registered_on",
        "registered_by",
        "version_label",
        "conditions",
        "text_sha256",
        "revoked_on",
        "revocation_reason",
        "revoked_by",
        "dissolved_on",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("revoke/<int:pk>/", RevokeView.as_view(), name="revoke")]


# --- Announcements -------------------------------------------------------------------------------


class AnnouncementIndexView(IssueAnnouncementButtonMixin, ModelViewSet.index_view_class):
    issue_button_icon = "plus"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("issued_by").annotate(entry_count=Count("items"))


class AnnouncementInspectView(ModelViewSet.inspect_view_class):
    template_name = "registry/registrationannouncement_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(RegistrationAnnouncement.objects.select_related("issued_by"), pk=self.pk)

    def get_issued_on_display_value(self):
        return display_date(self.object.issued_on)

    def get_issued_by_display_value(self):
        return _user_name(self.object.issued_by)

    @cached_property
    def header_more_buttons(self):
        return super().header_more_buttons + official_pdf_buttons(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = list(
            self.object.entries.annotate(province_code=F("network__province_code"))
            .defer("registered_text")
            .order_by("registered_on", "pk")
        )
        return context


class IssueAnnouncementForm(forms.Form):
    issued_on = BuddhistDateField(label=_("Issued on"), required=False, help_text=_("Leave empty for today."))


class IssueAnnouncementView(RegistrarOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "registry/issue_announcement.html"
    form_class = IssueAnnouncementForm
    page_title = _("Issue announcement")
    header_icon = "doc-full"
    preview_limit = 200

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("registrationannouncement:index"),
                "label": capfirst(RegistrationAnnouncement._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = RegistryEntry.objects.filter(announced__isnull=True, status=RegistryStatus.REGISTERED)
        context["pending_count"] = pending.count()
        context["pending"] = list(
            pending.annotate(province_code=F("network__province_code"))
            .defer("registered_text")
            .order_by("registered_on", "pk")[: self.preview_limit]
        )
        context["index_url"] = reverse("registrationannouncement:index")
        context["nothing_to_announce"] = not context["pending_count"]
        return context

    def form_valid(self, form):
        try:
            announcement = services.issue_announcement(self.request.user, on_date=form.cleaned_data["issued_on"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Announcement No. %(number)s was issued.") % {"number": announcement.number}
        )
        return HttpResponseRedirect(reverse("registrationannouncement:inspect", args=(announcement.pk,)))


class RegistrationAnnouncementViewSet(ModelViewSet):
    model = RegistrationAnnouncement
    icon = "doc-full"
    menu_label = _("Announcements")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = AnnouncementIndexView
    inspect_view_class = AnnouncementInspectView
    list_display = [
        TitleColumn(
            "number", label=_("Announcement number"),
            get_url=lambda announcement: reverse("registrationannouncement:inspect", args=(announcement.pk,)),
        ),
        Column("issued_on", label=_("Issued on"), accessor=lambda a: display_date(a.issued_on)),
        Column("issued_by", label=_("Issued by"), accessor=lambda a: _user_name(a.issued_by)),
        Column("entry_count", label=_("Organizations")),
    ]
    inspect_view_fields = ["number", "issued_on", "issued_by"]
    # Unreachable: announcements are issued by IssueAnnouncementView only. A panel rather than form_fields,
    # so that even this form is a Wagtail admin form and reads the date in the Buddhist Era.
    panels = [FieldPanel("issued_on")]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("issue/", IssueAnnouncementView.as_view(), name="issue")]


class RegistryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Registry")
    menu_icon = "clipboard-list"
    menu_order = 300
    items = (RegistryEntryViewSet("registryentry"), RegistrationAnnouncementViewSet("registrationannouncement"))
