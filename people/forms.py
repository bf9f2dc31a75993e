from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from networks.models import NetworkPage

from .roles import officer_province_codes


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
