"""Who may do what: committee memberships, local government offices, provincial officers, registrars.

Roles are records with a start and an end, never flags on a user: every change is kept by
django-simple-history, and the Wagtail groups that carry page permissions are derived from these
records (see people/groups.py), so nobody edits groups by hand for each of the 8,000 networks.
A record is active while `ended_on` is empty; ending it is how a role is taken away.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.geography import is_province_code, province_codes, province_name
from networks.models import NetworkLevel


def province_choices():
    """Every province, "เชียงราย (57)" ("Chiang Rai (57)" on English screens), in the official code order
    (referenced by migrations)."""
    return [(code, f"{province_name(code)} ({code})") for code in province_codes()]


def validate_province_code(value):
    if not is_province_code(value):
        raise ValidationError(
            _("“%(code)s” is not a province code of the Department of Provincial Administration."),
            code="unknown_province",
            params={"code": value},
        )


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def end(self, on=None):
        """End the active records one by one (not with update()), so that each change is in the
        history and the groups follow. Returns how many were ended."""
        ended_on = on or timezone.localdate()
        records = list(self.active())
        with transaction.atomic():
            for record in records:
                record.ended_on = ended_on
                record.save(update_fields=["ended_on"])
        return len(records)


def ends_after_start(name):
    """The database's own copy of RoleRecord.clean's date rule, for every kind of role record."""
    return models.CheckConstraint(
        condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name=name
    )


def one_active(fields, name, message, **condition):
    """At most one active record with the same `fields` (ended records are history and may repeat)."""
    return models.UniqueConstraint(
        fields=fields, condition=Q(ended_on__isnull=True, **condition), name=name, violation_error_message=message
    )


def active_by_user(name):
    """The index behind every "roles this user holds now" lookup (people/roles.py)."""
    return models.Index(fields=["user", "ended_on"], name=name)


class RoleRecord(models.Model):
    """Fields and rules shared by every role record: who, from when, until when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True,
        help_text=_("Leave empty while the role is held. Fill in the date to end it."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("For example the order or meeting that made the appointment."))

    objects = ActiveQuerySet.as_manager()
    # Every kind of role record keeps every change: who held what, from when, until when.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    # The Wagtail groups are synchronised by signal receivers; saving and deleting inside one
    # transaction keeps the record and the permissions it gives in step.
    def save(self, *args, **kwargs):
        with transaction.atomic():
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            return super().delete(*args, **kwargs)

    @property
    def is_active(self):
        return self.ended_on is None

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
        if self.started_on and self.started_on > today:
            # Active means "held now": a role is recorded when it begins.
            raise ValidationError({"started_on": _("The start date cannot be in the future; record the role when it begins.")})
        if self.ended_on and self.ended_on > today:
            # A role ends when it ends: recording a future end would leave it active without saying so.
            raise ValidationError({"ended_on": _("The end date cannot be in the future; record it when the role ends.")})


class CommitteeRole(models.TextChoices):
    MEMBER = "member", _("Committee member")
    SECRETARY = "secretary", _("Secretary")
    CHAIR = "chair", _("Chair")


class CommitteeMembership(RoleRecord):
    network = models.ForeignKey(
        "networks.NetworkPage", verbose_name=_("network"), on_delete=models.CASCADE,
        related_name="committee_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["network__path", "role", "user__username"]
        constraints = [
            one_active(
                ["user", "network"], "one_active_membership_per_user_network",
                _("This person already holds an active membership of this network's committee."),
            ),
            one_active(
                ["network"], "one_active_chair_per_network",
                _("This network already has a chair. End the current chair's membership first."),
                role="chair",
            ),
            ends_after_start("membership_ends_after_start"),
        ]
        indexes = [active_by_user("membership_user_active")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.network}"


# A local government organization (อปท.) exists at three levels: the provincial administrative
# organization (อบจ.) for a province, a municipality (เทศบาล) or a tambon administrative organization
# (อบต.) below it. An application is filed at the office of the place where the network has its office,
# so a regional or national network has none; a zone groups tambons of several local governments.
LOCAL_OFFICE_LEVELS = (NetworkLevel.PROVINCE, NetworkLevel.DISTRICT, NetworkLevel.TAMBON)
# The levels whose office also serves the networks below it (a municipality serves the tambon funds in
# its district). An อบจ. is the local government of the provincial network only: the tambon funds of its
# province file at their own อบต. or เทศบาล, and their applications are none of its business.
LOCAL_OFFICE_AREA_LEVELS = (NetworkLevel.DISTRICT, NetworkLevel.TAMBON)


class LocalOfficeAssignment(RoleRecord):
    """A user of a local government office (อบจ./เทศบาล/อบต.), assigned to the network it serves: a
    provincial network (the อบจ.), or a district or tambon network and the networks below it."""

    network = models.ForeignKey(
        "networks.NetworkPage", verbose_name=_("network served"), on_delete=models.CASCADE,
        related_name="local_office_assignments",
        help_text=_(
            "The province, district or tambon network this office serves. The office of a district or a "
            "tambon also serves the networks below it; a provincial administrative organization serves "
            "the provincial network only."
        ),
        limit_choices_to={"level__in": list(LOCAL_OFFICE_LEVELS)},
    )
    office_name = models.CharField(
        _("office"), max_length=255,
        help_text=_("For example “อบต.เวียง” or “องค์การบริหารส่วนจังหวัดเชียงราย”."),
    )

    class Meta:
        verbose_name = _("local office assignment")
        verbose_name_plural = _("local office assignments")
        ordering = ["network__path", "user__username"]
        constraints = [
            one_active(
                ["user", "network"], "one_active_local_office_per_user_network",
                _("This person is already assigned to this network."),
            ),
            ends_after_start("local_office_ends_after_start"),
        ]
        indexes = [active_by_user("local_office_user_active")]

    def __str__(self):
        return f"{self.user} – {self.office_name} – {self.network}"

    def clean_fields(self, exclude=None):
        # The level rule is checked here, in place of the foreign key's own check of limit_choices_to,
        # whose message ("… is not a valid choice") would not say why the network is refused.
        exclude = set(exclude or ())
        errors = {}
        if "network" not in exclude and self.network_id and self.network.level not in LOCAL_OFFICE_LEVELS:
            exclude.add("network")
            errors["network"] = [ValidationError(
                _("A local government office serves a province, district or tambon network, "
                  "not a network at level “%(level)s”."),
                code="level",
                params={"level": NetworkLevel(self.network.level).label},
            )]
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class ProvincialOfficerAssignment(RoleRecord):
    """An officer of a provincial social development office (พมจ.), for one province."""

    province_code = models.CharField(
        _("province"), max_length=2, choices=province_choices, validators=[validate_province_code], db_index=True
    )

    class Meta:
        verbose_name = _("provincial officer assignment")
        verbose_name_plural = _("provincial officer assignments")
        ordering = ["province_code", "user__username"]
        constraints = [
            one_active(
                ["user", "province_code"], "one_active_officer_per_user_province",
                _("This person is already an officer of this province."),
            ),
            ends_after_start("officer_ends_after_start"),
        ]
        indexes = [active_by_user("officer_user_active")]

    def __str__(self):
        return f"{self.user} – {self.province_name}"

    @property
    def province_name(self):
        return province_name(self.province_code, english=False)


class RegistrarAssignment(RoleRecord):
    """A registrar (นายทะเบียน) who records certification decisions in the registry."""

    office_name = models.CharField(
        _("office"), max_length=255, blank=True, help_text=_("For example “สำนักงาน ก.ส.ค.”.")
    )

    class Meta:
        verbose_name = _("registrar assignment")
        verbose_name_plural = _("registrar assignments")
        ordering = ["user__username"]
        constraints = [
            one_active(["user"], "one_active_registrar_per_user", _("This person is already a registrar.")),
            ends_after_start("registrar_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.user} – {self.office_name or _('Registrar')}"


class SupportStaffAssignment(RoleRecord):
    """CODI (พอช.) support staff: may read across networks in the admin, never edit or approve."""

    office_name = models.CharField(_("office"), max_length=255, blank=True, help_text=_("For example “พอช. ภาคเหนือ”."))

    class Meta:
        verbose_name = _("support staff assignment")
        verbose_name_plural = _("support staff assignments")
        ordering = ["user__username"]
        constraints = [
            one_active(["user"], "one_active_support_staff_per_user", _("This person is already support staff.")),
            ends_after_start("support_staff_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.user} – {self.office_name or _('Support staff')}"


class NetworkCommitteeGroup(models.Model):
    """The Wagtail group that carries the page permissions of one network's committee.

    Created lazily when the network gets its first active member; found through this row rather
    than by name, so renaming the network or the group breaks nothing.
    """

    network = models.OneToOneField(
        "networks.NetworkPage", on_delete=models.CASCADE, related_name="committee_group_link"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="committee_network_link")

    class Meta:
        verbose_name = _("committee permission group")
        verbose_name_plural = _("committee permission groups")

    def __str__(self):
        return self.group.name
