"""Admin screens for the role records: Wagtail ModelViewSets with the django-simple-history record of
every change shown on each record's inspect page."""

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from core.thaidate import format_date_for_language

from .forms import CommitteeMembershipForm, RoleRecordForm
from .models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
    SupportStaffAssignment,
)
from .roles import officer_province_codes

ANY_ACTION = ("add", "change", "delete", "view")
EMPTY = "—"


def display_date(value):
    """Buddhist Era on Thai pages (Django's own localisation would print the Christian year)."""
    return format_date_for_language(value, get_language()) if value else EMPTY


class ScopedObjectMixin:
    """Refuse, on the server, an object the user may not act on, whatever URL they type."""

    object_actions = ANY_ACTION

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = self.permission_policy
        if policy is not None and not policy.user_has_any_permission_for_instance(
            self.request.user, self.object_actions, obj
        ):
            raise PermissionDenied
        return obj


class RoleIndexView(ModelViewSet.index_view_class):
    def get_base_queryset(self):
        # Only the records the user may act on, with what the listing shows loaded in the same query.
        queryset = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ANY_ACTION)
        related = [name for name in ("user", "network") if _has_field(self.model, name)]
        return queryset.select_related(*related)


class RoleEditView(ScopedObjectMixin, ModelViewSet.edit_view_class):
    object_actions = ("change",)


class RoleDeleteView(ScopedObjectMixin, ModelViewSet.delete_view_class):
    object_actions = ("delete",)


class RoleHistoryView(ScopedObjectMixin, ModelViewSet.history_view_class):
    pass


class RoleUsageView(ScopedObjectMixin, ModelViewSet.usage_view_class):
    pass


class RoleInspectView(ScopedObjectMixin, ModelViewSet.inspect_view_class):
    template_name = "people/role_inspect.html"
    history_fields = ()
    fields_exclude = ["id"]

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if isinstance(value, datetime.date):
            return display_date(value)
        if value is None or value == "":
            return EMPTY
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        related = ["history_user", *(name for name in self.history_fields if name == "network")]
        records = self.object.history.select_related(*related).order_by("-history_date", "-history_id")
        context["role_history"] = [
            {
                "record": record,
                "change": HISTORY_TYPE_LABELS.get(record.history_type, record.history_type),
                "values": [self._display(record, name) for name in self.history_fields],
            }
            for record in records
        ]
        context["history_labels"] = [self._label(name) for name in self.history_fields]
        return context

    def _label(self, name):
        return self.model._meta.get_field(name).verbose_name

    def _display(self, record, name):
        display = getattr(record, f"get_{name}_display", None)
        if display is not None:
            return display()
        value = getattr(record, name)
        if isinstance(value, datetime.date):
            return display_date(value)
        return EMPTY if value in (None, "") else value


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def user_name(record):
    user = record.user
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


# simple_history's own labels have no Thai ("Changed" would show in English on a Thai page).
HISTORY_TYPE_LABELS = {
    "+": pgettext_lazy("role record history", "Created"),
    "~": pgettext_lazy("role record history", "Changed"),
    "-": pgettext_lazy("role record history", "Deleted"),
}


def status_label(record):
    # A context of our own: Wagtail's catalog has an unrelated Thai "Active".
    if record.ended_on is None:
        return pgettext_lazy("role record status", "In office")
    return pgettext_lazy("role record status", "Ended")


class RoleRecordViewSet(ModelViewSet):
    icon = "user"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = RoleIndexView
    edit_view_class = RoleEditView
    delete_view_class = RoleDeleteView
    history_view_class = RoleHistoryView
    usage_view_class = RoleUsageView
    inspect_view_class = RoleInspectView
    form_class = RoleRecordForm
    search_backend_name = None
    history_fields = ()

    @property
    def edit_handler(self):
        # Panels over the form class, so that the form knows its user (for_user) and its scope.
        return ObjectList([FieldPanel(name) for name in self.form_fields], base_form_class=self.form_class)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(history_fields=self.history_fields, **kwargs)

    def base_columns(self):
        return [
            Column("user", label=_("user"), accessor=user_name),
        ]

    def tail_columns(self):
        return [
            Column("started_on", label=_("started on"), sort_key="started_on",
                   accessor=lambda record: display_date(record.started_on)),
            Column("ended_on", label=_("ended on"), sort_key="ended_on",
                   accessor=lambda record: display_date(record.ended_on)),
            StatusTagColumn(
                "status", label=_("status"), accessor=status_label,
                primary=lambda record: record.ended_on is None,
            ),
        ]


class CommitteeMembershipIndexView(RoleIndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        # A provincial officer seats a person who has no account yet from here (people/onboarding.py).
        if officer_province_codes(self.request.user):
            buttons.append(HeaderButton(_("Invite a person"), url=reverse("people_invite_person"), icon_name="user"))
        return buttons


class CommitteeMembershipViewSet(RoleRecordViewSet):
    model = CommitteeMembership
    icon = "group"
    index_view_class = CommitteeMembershipIndexView
    form_class = CommitteeMembershipForm
    form_fields = ["user", "network", "role", "started_on", "ended_on", "note"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "network__title"]
    history_fields = ("network", "role", "started_on", "ended_on", "note")

    @property
    def list_display(self):
        return [
            *self.base_columns(),
            Column("network", label=_("network"), accessor="network"),
            Column("role", label=_("role"), accessor="get_role_display", sort_key="role"),
            *self.tail_columns(),
        ]


class LocalOfficeAssignmentViewSet(RoleRecordViewSet):
    model = LocalOfficeAssignment
    icon = "home"
    form_fields = ["user", "network", "office_name", "started_on", "ended_on", "note"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office_name", "network__title"]
    history_fields = ("network", "office_name", "started_on", "ended_on", "note")

    @property
    def list_display(self):
        return [
            *self.base_columns(),
            Column("office_name", label=_("office"), sort_key="office_name"),
            Column("network", label=_("network served"), accessor="network"),
            *self.tail_columns(),
        ]


class ProvincialOfficerAssignmentViewSet(RoleRecordViewSet):
    model = ProvincialOfficerAssignment
    icon = "site"
    form_fields = ["user", "province_code", "started_on", "ended_on", "note"]
    list_filter = ["province_code"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    history_fields = ("province_code", "started_on", "ended_on", "note")

    @property
    def list_display(self):
        return [
            *self.base_columns(),
            Column("province_code", label=_("province"), accessor="province_name", sort_key="province_code"),
            *self.tail_columns(),
        ]


class OfficeRoleViewSet(RoleRecordViewSet):
    """A role held for the whole country from an office (registrars, CODI support staff)."""

    form_fields = ["user", "office_name", "started_on", "ended_on", "note"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office_name"]
    history_fields = ("office_name", "started_on", "ended_on", "note")

    @property
    def list_display(self):
        return [*self.base_columns(), Column("office_name", label=_("office")), *self.tail_columns()]


class RegistrarAssignmentViewSet(OfficeRoleViewSet):
    model = RegistrarAssignment
    icon = "doc-full"


class SupportStaffAssignmentViewSet(OfficeRoleViewSet):
    model = SupportStaffAssignment
    icon = "help"


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People and permissions")
    menu_icon = "group"
    menu_order = 250
    items = (
        CommitteeMembershipViewSet("committee_memberships"),
        LocalOfficeAssignmentViewSet("local_office_assignments"),
        ProvincialOfficerAssignmentViewSet("provincial_officer_assignments"),
        RegistrarAssignmentViewSet("registrar_assignments"),
        SupportStaffAssignmentViewSet("support_staff_assignments"),
    )
