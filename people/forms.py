from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import ModelLogEntry

from networks.models import NetworkPage

from .models import CommitteeMembership, LocalOfficeAssignment, ProvincialOfficerAssignment
from .roles import officer_province_codes


def people_of_provinces(codes, officer):
    """The active accounts an officer of the provinces `codes` may appoint: people who hold or held a
    committee membership or a local office in those provinces, fellow officers there, and accounts the
    officer created (Wagtail logs the creation) — never the officer, never the rest of the country."""
    User = get_user_model()
    created = ModelLogEntry.objects.filter(
        action="wagtail.create", content_type=ContentType.objects.get_for_model(User), user_id=officer.pk
    ).values_list("object_id", flat=True)
    connected = (
        Q(pk__in=CommitteeMembership.objects.filter(network__province_code__in=codes).values("user_id"))
        | Q(pk__in=LocalOfficeAssignment.objects.filter(network__province_code__in=codes).values("user_id"))
        | Q(pk__in=ProvincialOfficerAssignment.objects.filter(province_code__in=codes).values("user_id"))
        | Q(pk__in=[int(pk) for pk in created if str(pk).isdigit()])
    )
    return User.objects.filter(connected, is_active=True).exclude(pk=officer.pk).order_by("username")


class RoleRecordForm(WagtailAdminModelForm):
    """Only active accounts may be given a role; once saved, a record keeps its holder (end it and
    start a new one instead, so the history reads true)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
            if self.instance.pk:
                self.fields["user"].disabled = True


class CommitteeMembershipForm(RoleRecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.restricted_codes = None
        user = self.for_user
        if user is not None and not (
            user.has_perm("people.add_committeemembership") or user.has_perm("people.change_committeemembership")
        ):
            # A provincial officer: only networks of their own provinces.
            self.restricted_codes = officer_province_codes(user)
            if "network" in self.fields:
                self.fields["network"].queryset = NetworkPage.objects.filter(
                    province_code__in=self.restricted_codes
                )
            if "user" in self.fields and not self.instance.pk:
                self.fields["user"].queryset = people_of_provinces(self.restricted_codes, user)
                self.fields["user"].error_messages["invalid_choice"] = (
                    _("You cannot appoint yourself to a committee.")
                    if self.data.get(self.add_prefix("user")) == str(user.pk)
                    else _(
                        "Choose a person connected to your province: a member or office holder of its networks, "
                        "or an account you created."
                    )
                )
        if self.instance.pk and "network" in self.fields:
            self.fields["network"].disabled = True

    def clean_network(self):
        network = self.cleaned_data.get("network")
        if network is not None and self.restricted_codes is not None and network.province_code not in self.restricted_codes:
            raise forms.ValidationError(_("You may manage the committees of networks in your own province only."))
        return network

    def clean_user(self):
        member = self.cleaned_data.get("user")
        if member is not None and self.restricted_codes is not None and self.for_user and member.pk == self.for_user.pk:
            # The officer who reviews a network's application must not sit on its committee.
            raise forms.ValidationError(_("You cannot appoint yourself to a committee."))
        return member
