"""One page per create form, whatever the user clicks while Wagtail's autosave runs (issue 9).

A document's create form carries a hidden token (pages.forms, `create_token`). The first POST of that
form claims the token (a row with a unique constraint, so that two requests at the same moment cannot
both claim it) and links the page it makes; a later POST of the same form (the "Save draft" pressed
while an autosave was creating the page, or the other way round) creates nothing and is sent to the
page the first one made. A claim whose request made no page (the form had errors) is taken over after
`PENDING_SECONDS`, so that correcting the form and saving again works.
"""

import time
import uuid

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from .forms import CREATE_TOKEN_FIELD
from .models import PageCreation

PENDING_SECONDS = 5  # a create request takes well under this; its twin waits for it at most this long
POLL_SECONDS = 0.1


def posted_token(request):
    try:
        return uuid.UUID(request.POST.get(CREATE_TOKEN_FIELD, ""))
    except ValueError:
        return None


def claim_or_answer(request):
    """Claim the form's token for this request (None: go on and create), or the answer for a twin
    request whose page exists already."""
    token = posted_token(request)
    if token is None:
        return None
    deadline = time.monotonic() + PENDING_SECONDS
    while True:
        claim = PageCreation.objects.filter(token=token).first()
        if claim is None:
            try:
                with transaction.atomic():
                    PageCreation.objects.create(token=token, user=request.user)
                return None
            except IntegrityError:
                continue  # claimed a moment ago by the twin request: read it
        if claim.page_id is not None:
            return _already_created(request, claim.page_id)
        stale = (timezone.now() - claim.claimed_at).total_seconds() > PENDING_SECONDS
        if stale or time.monotonic() > deadline:
            # The request that claimed it made no page (its form had errors): this one takes over.
            PageCreation.objects.filter(pk=claim.pk, page__isnull=True).update(
                claimed_at=timezone.now(), user=request.user
            )
            return None
        time.sleep(POLL_SECONDS)


def link_created_page(request, page):
    token = posted_token(request)
    if token is not None:
        PageCreation.objects.filter(token=token, page__isnull=True).update(page=page)


def _already_created(request, page_id):
    message = _("This form has already created its document; here it is. Nothing was created twice.")
    if request.headers.get("accept", "").startswith("application/json") or request.headers.get(
        "x-requested-with"
    ) == "XMLHttpRequest":
        return JsonResponse({"success": False, "error_code": "already_created", "error_message": message}, status=409)
    messages.warning(request, message)
    return redirect("wagtailadmin_pages:edit", page_id)
