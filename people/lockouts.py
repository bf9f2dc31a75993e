"""Login lockouts and password-reset throttling.

django-axes counts failed logins and locks a username, and separately the address the tries came from
(settings: AXES_*). This module gives it a Thai lockout page, lets superusers see and lift lockouts in the
admin, and throttles password-reset requests, which axes does not cover, with django-ratelimit.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.admin_views import UserCheckedMixin

logger = logging.getLogger(__name__)

PASSWORD_RESET_URL_NAME = "wagtailadmin_password_reset"


def cooloff_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a locked-out login gets, on Wagtail's and on Django's login."""
    context = {"cooloff_minutes": cooloff_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "people/lockout.html", context, status=429)


def client_address(request):
    """The client's address as axes sees it (AXES_IPWARE_*: REMOTE_ADDR, or X-Forwarded-For behind proxies)."""
    return get_client_ip_address(request) or ""


def _requested_email(group, request):
    # One counter per address however it is typed; an empty field counts under "".
    return request.POST.get("email", "").strip().lower()


def _address(group, request):
    return client_address(request)


def password_reset_throttled(request):
    """Count this reset request against its address and its e-mail address; True when either is over its
    rate. Both counters move on every request, whether or not the e-mail belongs to anyone, so the
    answer never tells whether an account exists."""
    by_address = is_ratelimited(request, group="password-reset:address", key=_address,
                                rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS, method="POST", increment=True)
    by_email = is_ratelimited(request, group="password-reset:email", key=_requested_email,
                              rate=settings.PASSWORD_RESET_RATE_PER_EMAIL, method="POST", increment=True)
    return by_address or by_email


class PasswordResetThrottleMiddleware(MiddlewareMixin):
    """Refuse password-reset requests (Wagtail's /admin/password_reset/) over their rate with a 429 page,
    before the view looks up the account or sends any e-mail."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name != PASSWORD_RESET_URL_NAME:
            return None
        if not password_reset_throttled(request):
            return None
        logger.warning("Password-reset requests throttled for address %s", client_address(request))
        return render(request, "people/password_reset_throttled.html", status=429)


class LoginLockoutsView(UserCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Superusers only: the usernames and addresses with failed logins within the cool-off, which of them
    are locked, and a button that unlocks each."""

    template_name = "people/login_lockouts.html"
    page_title = gettext_lazy("Login lockouts")
    header_icon = "lock"

    def allows(self, user):
        return user.is_superuser

    def _failures_by(self, field):
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        rows = (
            AccessAttempt.objects.filter(attempt_time__gte=since)
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
            .order_by("-last_attempt")
        )
        return [
            {"value": row[field], "failures": row["failures"], "last_attempt": row["last_attempt"],
             "locked": row["failures"] >= settings.AXES_FAILURE_LIMIT}
            for row in rows
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            usernames=self._failures_by("username"),
            addresses=self._failures_by("ip_address"),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cooloff_minutes=cooloff_minutes(),
        )
        return context

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = request.POST.get("ip_address", "")
        if username:
            axes_reset(username=username)
            messages.success(request, _("The username “%(name)s” is unlocked.") % {"name": username})
            logger.info("%s unlocked the username %s", request.user, username)
        elif address:
            axes_reset(ip=address)
            messages.success(request, _("The address %(address)s is unlocked.") % {"address": address})
            logger.info("%s unlocked the address %s", request.user, address)
        return HttpResponseRedirect(reverse("people_login_lockouts"))
