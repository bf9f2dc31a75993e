"""k-of-n approval at threshold-capable steps (workflows.road: Step.threshold).

A step's k is an ApprovalThreshold row: per network for a committee step (set by the network's chair
or secretary), per province for the provincial review (set by a registrar: the officers checked by the
four-eyes rule do not set their own rule). Without a row k = 1, today's behaviour. k stays within
1 ≤ k ≤ n, n being the people holding the step's role now; if the holders later fall below k, the step
needs all of them (k is read as min(k, n), never less than 1) so that no application is stuck.

Each signer's approval is a StepApproval of the round's task state; `perform_action` records it under
the task state's row lock (workflows.actions.lock_current_task_state) and counts inside the same
transaction, so the step moves on exactly when the k-th approval commits.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from networks.models import NetworkPage
from people import roles

from .errors import WorkflowActionRefused
from .models import ApprovalThreshold, StepApproval
from .road import THRESHOLD_PER_NETWORK, THRESHOLD_PER_PROVINCE, step_by_key, threshold_steps


@dataclass(frozen=True)
class ApprovalProgress:
    approvals: int
    required: int

    @property
    def shown(self):
        """Worth saying: only steps that need more than one approval."""
        return self.required > 1


def _scope_of(step, network):
    """The ApprovalThreshold filter of `step` for `network`."""
    if step.threshold == THRESHOLD_PER_NETWORK:
        return {"network_id": network.pk, "province_code": ""}
    return {"network": None, "province_code": network.province_code or ""}


def eligible_count(step, page):
    """n: the people holding the step's role towards `page` now."""
    return step.actors.users(page).count()


def configured_threshold(step, network):
    """k as set (1 without a row)."""
    if step.threshold is None or network is None:
        return 1
    row = ApprovalThreshold.objects.filter(step_key=step.key, **_scope_of(step, network)).first()
    return row.required_approvals if row is not None else 1


def required_approvals(step, page, network=None):
    """k for `page` at `step`, within 1 ≤ k ≤ n."""
    from .actors import network_of

    network = network or network_of(page)
    k = configured_threshold(step, network)
    if k <= 1:
        return 1
    return max(1, min(k, eligible_count(step, page)))


def already_approved_message():
    return _("You have already approved this step in this round. Nothing was changed.")


def record_approval(step, task_state, page, user, comment=""):
    """Record `user`'s approval in this round and return the progress. Must run under the task
    state's row lock (perform_action): the count read here is the one that decides."""
    if StepApproval.objects.filter(task_state=task_state, user=user).exists():
        raise WorkflowActionRefused(already_approved_message(), page_id=page.pk)
    try:
        with transaction.atomic():
            StepApproval.objects.create(task_state=task_state, user=user, comment=comment)
    except IntegrityError as error:  # the database's own guard, should two requests of one user race
        raise WorkflowActionRefused(already_approved_message(), page_id=page.pk) from error
    approvals = StepApproval.objects.filter(task_state=task_state).count()
    return ApprovalProgress(approvals, required_approvals(step, page))


def progress_of(step, task_state, page):
    """The progress of the round at `task_state` (two queries), or None for a step without threshold."""
    if step is None or step.threshold is None or task_state is None:
        return None
    approvals = StepApproval.objects.filter(task_state_id=task_state.pk).count()
    return ApprovalProgress(approvals, required_approvals(step, page))


def progress_for_rows(rows):
    """{task state id: ApprovalProgress} for [(step, task_state, page)] read in bulk: one query for
    the counts, one for the thresholds, one per network or province whose k exceeds 1 (the holders)."""
    rows = [(step, ts, page) for step, ts, page in rows if step is not None and step.threshold and ts is not None]
    if not rows:
        return {}
    counts = dict(
        StepApproval.objects.filter(task_state_id__in=[ts.pk for _s, ts, _p in rows])
        .values_list("task_state_id")
        .annotate(n=Count("pk"))
    )
    from .actors import network_of

    networks = {page.pk: network_of(page) for _s, _ts, page in rows}
    thresholds = {
        (t.network_id, t.province_code, t.step_key): t.required_approvals
        for t in ApprovalThreshold.objects.filter(step_key__in={s.key for s, _ts, _p in rows})
    }
    holders = {}
    progress = {}
    for step, task_state, page in rows:
        network = networks[page.pk]
        scope = _scope_of(step, network) if network is not None else None
        k = 1
        if scope is not None:
            k = thresholds.get((scope.get("network_id"), scope["province_code"], step.key), 1)
        if k > 1:
            key = (step.key, tuple(sorted((name, str(value)) for name, value in scope.items())))
            if key not in holders:
                holders[key] = eligible_count(step, page)
            k = max(1, min(k, holders[key]))
        progress[task_state.pk] = ApprovalProgress(counts.get(task_state.pk, 0), k)
    return progress


# --- Setting k -------------------------------------------------------------------------------------


def may_set_threshold(user, step, network=None, province_code=""):
    """The network's chair or secretary for a committee step; a registrar for the provincial step
    (an administrator for both)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if step.threshold == THRESHOLD_PER_NETWORK:
        return network is not None and roles.is_chair_or_secretary(user, network)
    if step.threshold == THRESHOLD_PER_PROVINCE:
        return roles.is_registrar(user)
    return False


def _holders_for_scope(step, network, province_code):
    # The actors answer for a document; a stand-in document of the network (or of the province) asks them.
    if step.threshold == THRESHOLD_PER_PROVINCE:
        network = NetworkPage(province_code=province_code)
    return step.actors.users(SimpleNamespace(network=network)).count()


def set_threshold(user, step_key, required, *, network=None, province_code=""):
    """Set k for a step, per network or per province. Refuses (ValidationError, Thai message) when the
    user is not entitled, the step is not threshold-capable, or k is outside 1..n."""
    step = step_by_key(step_key)
    if step is None or step.threshold is None:
        raise ValidationError(_("This step cannot require several approvals."), code="not_threshold_step")
    if step.threshold == THRESHOLD_PER_NETWORK and network is None:
        raise ValidationError(_("Choose the network."), code="no_network")
    if step.threshold == THRESHOLD_PER_PROVINCE and not province_code:
        raise ValidationError(_("Choose the province."), code="no_province")
    if not may_set_threshold(user, step, network, province_code):
        raise ValidationError(
            _("You may not set the number of approvals for this step."), code="not_entitled"
        )
    try:
        required = int(required)
    except (TypeError, ValueError):
        required = 0
    if required < 1:
        raise ValidationError(_("At least one approval is required."), code="below_one")
    with transaction.atomic():
        holders = _holders_for_scope(step, network, province_code)
        if required > holders:
            raise ValidationError(
                _(
                    "%(required)s approvals cannot be required: only %(holders)s people hold this role now "
                    "(%(role)s)."
                )
                % {"required": required, "holders": holders, "role": step.actors.label},
                code="above_holders",
            )
        scope = (
            {"network": network, "province_code": ""}
            if step.threshold == THRESHOLD_PER_NETWORK
            else {"network": None, "province_code": province_code}
        )
        row = ApprovalThreshold.objects.select_for_update().filter(step_key=step.key, **scope).first()
        if row is None:
            row = ApprovalThreshold(step_key=step.key, **scope)
        row.required_approvals = required
        row.set_by = user
        row._history_user = user
        row.save()
    return row


def settable_scopes(user):
    """[(step, network or None, province_code)] the user may set k for: the committee steps of each
    network they chair or are secretary of, and (registrars, administrators) the provincial step of
    every province that has a network."""
    scopes = []
    if user is None or not user.is_authenticated:
        return scopes
    for step in threshold_steps():
        if step.threshold == THRESHOLD_PER_NETWORK:
            networks = roles.committee_networks(user) if not user.is_superuser else NetworkPage.objects.all()
            for network in networks.order_by("path"):
                if may_set_threshold(user, step, network):
                    scopes.append((step, network, ""))
        elif may_set_threshold(user, step):
            codes = (
                NetworkPage.objects.exclude(province_code="")
                .order_by("province_code")
                .values_list("province_code", flat=True)
                .distinct()
            )
            scopes.extend((step, None, code) for code in codes)
    return scopes
