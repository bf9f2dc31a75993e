"""Who acts at a step, one object per role (people.roles says who holds it). A road step names one of
these (workflows.road); the step's task asks it whether a user may decide, which documents a user may
decide, and whom to tell. Several steps may share a role: a new step reusing a role needs no code here.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from networks.models import NetworkPage
from pages.doctypes import document_models
from people import roles
from people.models import CommitteeMembership, CommitteeRole, ProvincialOfficerAssignment, RegistrarAssignment


def network_of(obj):
    obj = obj.specific if type(obj) is Page else obj
    return getattr(obj, "network", None)


def document_ids(network_ids):
    """A Q over pages: the documents (charter, action plans, minutes) of the networks in `network_ids`
    (a values() queryset of network ids). Stays a subquery: no ids are read into Python."""
    query = models.Q(pk__in=[])
    for model in document_models():
        query |= models.Q(pk__in=model.objects.filter(network_id__in=network_ids).values("pk"))
    return query


def _signed_in(user):
    return bool(user and user.is_authenticated)


@dataclass(frozen=True)
class Actors:
    """A role towards the document. `label` says who acts, in words ("the network's chair or secretary")."""

    key: str
    label: Promise

    def is_actor(self, obj, user):
        raise NotImplementedError

    def page_filter(self, user):
        """A Q over pages (documents) this user may decide; None when none; Q() for every document."""
        raise NotImplementedError

    def users(self, obj):
        """The users who must act on `obj`, for notifications and reminders."""
        raise NotImplementedError


@dataclass(frozen=True)
class CommitteeOfficers(Actors):
    """Holders of `committee_roles` on the committee of the document's own network."""

    committee_roles: tuple = (CommitteeRole.CHAIR, CommitteeRole.SECRETARY)

    def is_actor(self, obj, user):
        if not _signed_in(user):
            return False
        if self.committee_roles == (CommitteeRole.CHAIR, CommitteeRole.SECRETARY):
            return roles.is_chair_or_secretary(user, obj)
        return roles.committee_role(user, obj) in self.committee_roles

    def page_filter(self, user):
        # From the cached roles first: a subquery for a role the user does not hold is costly to build.
        if not roles.holds_committee_role(user, self.committee_roles):
            return None
        networks = (
            CommitteeMembership.objects.active()
            .filter(user=user, role__in=list(self.committee_roles))
            .values("network_id")
        )
        return document_ids(networks)

    def users(self, obj):
        return roles.committee_users(network_of(obj), list(self.committee_roles))


@dataclass(frozen=True)
class LocalOffice(Actors):
    """The local government office serving the network: the อบจ. for a provincial network, the
    municipality or อบต. for a district or tambon network."""

    def is_actor(self, obj, user):
        return _signed_in(user) and roles.is_local_office_for(user, obj)

    def page_filter(self, user):
        if not roles.is_local_office(user):
            return None
        networks = NetworkPage.objects.filter(roles.local_office_network_filter(user)).values("pk")
        return document_ids(networks)

    def users(self, obj):
        network = network_of(obj)
        if network is None:
            return get_user_model().objects.none()
        # The office assigned to the network (for a provincial network, its อบจ.) or a district or
        # tambon office above it; never the อบจ. of the province for a tambon's application.
        offices = roles.local_office_assignments_serving(network)
        return get_user_model().objects.filter(pk__in=offices.values("user_id"), is_active=True)


@dataclass(frozen=True)
class ProvincialOfficers(Actors):
    """The officers of the network's own province."""

    def is_actor(self, obj, user):
        return _signed_in(user) and roles.is_provincial_officer_for(user, obj)

    def page_filter(self, user):
        codes = roles.officer_province_codes(user)
        if not codes:
            return None
        return document_ids(NetworkPage.objects.filter(province_code__in=codes).values("pk"))

    def users(self, obj):
        code = getattr(network_of(obj), "province_code", "")
        return get_user_model().objects.filter(
            pk__in=ProvincialOfficerAssignment.objects.active().filter(province_code=code).values("user_id"),
            is_active=True,
        )


@dataclass(frozen=True)
class Registrars(Actors):
    """Any registrar: the registry is national."""

    def is_actor(self, obj, user):
        return _signed_in(user) and roles.is_registrar(user)

    def page_filter(self, user):
        return models.Q() if roles.is_registrar(user) else None

    def users(self, obj):
        return get_user_model().objects.filter(
            pk__in=RegistrarAssignment.objects.active().values("user_id"), is_active=True
        )


CHAIR_OR_SECRETARY = CommitteeOfficers("chair_or_secretary", _("the chair or the secretary of the network"))
CHAIR = CommitteeOfficers("chair", _("the chair of the network's committee"), (CommitteeRole.CHAIR,))
LOCAL_OFFICE = LocalOffice("local_office", _("the local government office"))
PROVINCIAL_OFFICERS = ProvincialOfficers("provincial_officers", _("an officer of the provincial office"))
REGISTRARS = Registrars("registrars", _("a registrar"))
