"""E-mails of the approval road, Thai first and English below, sent through the outbox (Celery, after
the transaction commits) — never inside the request. Wagtail's own synchronous workflow e-mails are
switched off in workflows.apps."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.i18n import bilingual
from outbox.api import enqueue_email
from people.models import CommitteeRole, ProvincialOfficerAssignment
from people.roles import committee_users

from .models import DecisionKind, NetworkStepTask
from .road import step_for_task

# Which e-mail the drafters get after a decision (approvals in the middle of the road go only to the
# people who act next, through notify_step_waiting).
DRAFTER_MESSAGES = {
    DecisionKind.CHANGES_REQUESTED: "changes_requested",
    DecisionKind.REJECTED: "rejected",
    DecisionKind.MOVED_ON: "moved_on",
}


def _admin_url(page):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=(page.pk,))


def _rendered(message, context):
    """(subject, body) in the active language: the template's first line is its subject."""
    text = render_to_string(f"workflows/email/{message}_{translation.get_language()}.txt", context).strip()
    subject, _sep, body = text.partition("\n")
    return subject, body


def _render(message, context):
    """(subject, body): the Thai text, then the English text."""
    return bilingual(_rendered, message=message, context=context)


def _step_words(task):
    """The step's name in Thai and in English (the road's label; each part of an e-mail says it in
    its own language only)."""
    step = step_for_task(task)
    label = step.label if step is not None else task.name
    with translation.override("th"):
        step_th = str(label)
    with translation.override("en"):
        step_en = str(label)
    return step_th, step_en


def _context(task, page, **extra):
    network = getattr(page, "network", None)
    step_th, step_en = _step_words(task)
    with translation.override("en"):
        document_type_en = str(page._meta.verbose_name)
    return {
        "document": page,
        "document_type_en": document_type_en,
        "network": network,
        "step_th": step_th,
        "step_en": step_en,
        "url": _admin_url(page),
        **extra,
    }


def drafters_of(page, workflow_state, exclude=None):
    """The document's drafters: whoever submitted it and the committee of its network."""
    # One query for the committee and the submitter (who is told even if no longer active).
    users = set(
        committee_users(page.network_id) | get_user_model().objects.filter(pk=workflow_state.requested_by_id or 0)
    )
    if exclude is not None:
        users.discard(exclude)
    return users


def notify_step_waiting(task_state):
    """A step has started: tell the people who must act on it."""
    task = task_state.task.specific
    if not isinstance(task, NetworkStepTask) or task_state.status != task_state.STATUS_IN_PROGRESS:
        return None
    page = task_state.workflow_state.content_object.specific
    recipients = [user.email for user in task.get_actor_users(page)]
    subject, body = _render(
        "step_waiting",
        _context(
            task, page, deadline_days=getattr(task, "deadline_days", None), started_at=task_state.started_at
        ),
    )
    return enqueue_email(recipients, subject, body, dedupe_key=f"workflows:waiting:{task_state.pk}")


def notify_decision(task, task_state, workflow_state, page, decision):
    """After a decision: the drafters hear of requests for changes, rejections, registrations and
    of the deadline rule; the next step's actors hear from notify_step_waiting."""
    message = DRAFTER_MESSAGES.get(decision.kind)
    if decision.kind == DecisionKind.APPROVED and decision.registry_entry_id:
        message = "registered"
    elif decision.kind == DecisionKind.APPROVED and workflow_state.status == workflow_state.STATUS_APPROVED:
        message = "completed"
    if message is None:
        return None
    recipients = [user.email for user in drafters_of(page, workflow_state, exclude=decision.decided_by)]
    subject, body = _render(
        message,
        _context(
            task, page, decision=decision, entry=decision.registry_entry, decided_by=decision.decided_by
        ),
    )
    return enqueue_email(recipients, subject, body, dedupe_key=f"workflows:{message}:{task_state.pk}")


def revocation_recipients(network):
    """The network's chair and secretary and the officers of its province (active accounts)."""
    committee = committee_users(network, [CommitteeRole.CHAIR, CommitteeRole.SECRETARY])
    officers = get_user_model().objects.filter(
        pk__in=ProvincialOfficerAssignment.objects.active()
        .filter(province_code=network.province_code or "-")
        .values("user_id"),
        is_active=True,
    )
    return sorted({user.email for user in committee | officers if user.email})


def notify_revocation(sender, entry, registrar=None, **kwargs):
    """registry.services.registration_revoked receiver: the committee and the provincial officers are
    told, through the outbox."""
    network = entry.network
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("public:verify", args=(entry.registration_number,))
    subject, body = _render("revoked", {"entry": entry, "network": network, "url": url})
    return enqueue_email(
        revocation_recipients(network), subject, body, dedupe_key=f"workflows:revoked:{entry.pk}"
    )
