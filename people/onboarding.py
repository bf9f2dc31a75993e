"""Officer onboarding: a provincial officer seats a new committee member without an administrator.

The officer gives a name, an e-mail address, a network of their own province and a role; the account is
created without a password, the membership recorded (which puts the person in the network's group), the
creation logged as the officer's (so the membership form offers the person to that officer afterwards,
people.forms.people_of_provinces) and an e-mail sent through the outbox with a link to set a password:
Wagtail's password-reset confirmation with Django's token, valid once and for PASSWORD_RESET_TIMEOUT.
The officer is never shown another account, and never another province's network.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from core.i18n import bilingual
from networks.models import NetworkPage
from outbox.api import enqueue_email

from .models import CommitteeMembership, CommitteeRole
from .roles import clear_role_cache, officer_province_codes


class InvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The invitation and its link go to this address."))
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=NetworkPage.objects.none(),
        error_messages={"invalid_choice": _("Choose a network of your own province.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER)

    def __init__(self, *args, officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer
        # Only the networks of the officer's own provinces are offered, and only they are accepted.
        self.fields["network"].queryset = (
            NetworkPage.objects.filter(province_code__in=officer_province_codes(officer)).only("id", "title").order_by("path")
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # Says only that the address is taken, never whose account it is.
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("This e-mail address already has an account. Appoint that person with a committee membership instead."),
                code="email_taken",
            )
        return email


def _free_username(email):
    User = get_user_model()
    base = slugify(email.split("@")[0]).replace("-", "_")[:140] or "member"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}_{n}"
    return username


def invitation_link(user):
    """The address at which the invited person sets a password (Wagtail's reset confirmation)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("wagtailadmin_password_reset_confirm", args=(uid, default_token_generator.make_token(user)))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _invitation_words(*, user, network, role, officer, link, login):
    subject = gettext("You have been added to the committee of %(network)s") % {"network": network.title}
    body = gettext(
        "Dear %(name)s,\n\n"
        "%(officer)s, provincial officer, has added you as %(role)s of %(network)s in the community welfare "
        "charters system.\n\n"
        "Your user name: %(username)s\n"
        "Set your password at this address (it works once, for %(days)s days):\n%(link)s\n\n"
        "Then sign in at %(login)s"
    ) % {
        "name": user.get_full_name(),
        "officer": officer.get_full_name() or officer.get_username(),
        "role": CommitteeRole(role).label,
        "network": network.title,
        "username": user.get_username(),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "link": link,
        "login": login,
    }
    return subject, body


def invite(*, officer, first_name, last_name, email, network, role):
    """Create the account and the membership and queue the e-mail, all or nothing. Refuses (PermissionDenied)
    a network outside the officer's provinces even when called without the form."""
    if network.province_code not in officer_province_codes(officer):
        raise PermissionDenied
    User = get_user_model()
    with transaction.atomic():
        user = User(username=_free_username(email), first_name=first_name, last_name=last_name, email=email)
        user.set_unusable_password()
        user.save()
        log(instance=user, action="wagtail.create", user=officer)
        membership = CommitteeMembership(user=user, network=network, role=role)
        membership.full_clean()  # the database's rules (one chair a network) said as a form error
        membership.save()
        subject, body = bilingual(
            _invitation_words, user=user, network=network, role=role, officer=officer,
            link=invitation_link(user), login=settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_login"),
        )
        enqueue_email([user.email], subject, body, dedupe_key=f"people:invitation:{user.pk}")
    clear_role_cache(user)
    return user


class InvitePersonView(WagtailAdminTemplateMixin, FormView):
    template_name = "people/invite_person.html"
    form_class = InvitationForm
    page_title = _("Invite a person")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not officer_province_codes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "officer": self.request.user}

    def form_valid(self, form):
        try:
            user = invite(officer=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        except IntegrityError:  # a second click of the same form, or the same address at the same moment
            form.add_error(None, _("The invitation could not be saved; nothing was changed. Try again."))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added to %(network)s and sent an e-mail to set a password (user name %(username)s).") % {
                "name": user.get_full_name(), "network": form.cleaned_data["network"].title,
                "username": user.get_username(),
            },
        )
        return HttpResponseRedirect(reverse("people_invite_person"))
