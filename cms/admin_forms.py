"""The admin login form, with every label in the gettext catalogs.

Wagtail's LoginForm redeclares the password field without a label, so Django falls back to the field
name ("Password") and the Thai login page showed one English word."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
