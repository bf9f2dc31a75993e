"""Wagtail groups derived from the role records, so Wagtail's own permission machinery (page explorer,
edit and add views, publish buttons, choosers) enforces the roles in every admin view.

- Each network whose committee has an active member gets its own group, created lazily, with "add" and
  "change" page permissions on the network page (so on its whole subtree) and admin access. Never
  "publish": committees submit, they do not publish. Never "bulk_delete".
- Shared groups give the other roles admin access and the collection permissions they need; officers,
  local offices and registrars act through workflow tasks, not page permissions.

The records are the truth; groups are rebuilt from them (`manage.py sync_role_groups`), so anything
added to these groups by hand is undone at the next sync.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from networks.models import NetworkPage

from .models import (
    CommitteeMembership,
    LocalOfficeAssignment,
    NetworkCommitteeGroup,
    ProvincialOfficerAssignment,
    RegistrarAssignment,
    SupportStaffAssignment,
)

COMMITTEE_PAGE_PERMISSIONS = ("add_page", "change_page")
GROUP_NAME_MAX = 150  # django.contrib.auth.models.Group.name


@dataclass(frozen=True)
class SharedRoleGroup:
    key: str
    name: str  # stored in the database, Thai as the users see it
    record_model: type
    permissions: tuple = ()  # "app_label.codename"
    collection_permissions: tuple = ()  # "app_label.codename" on the root collection
    extra: dict = field(default_factory=dict)


ACCESS_ADMIN = "wagtailadmin.access_admin"
# Choosing the documents and images already in the library; only committees also upload.
CHOOSE_FILES = ("wagtaildocs.choose_document", "wagtailimages.choose_image")
PEOPLE_VIEW = (
    "people.view_committeemembership",
    "people.view_localofficeassignment",
    "people.view_provincialofficerassignment",
    "people.view_registrarassignment",
)

SHARED_GROUPS = (
    SharedRoleGroup(
        "committee", "คณะกรรมการเครือข่าย (ทุกเครือข่าย)", CommitteeMembership,
        permissions=(ACCESS_ADMIN,),
        # Minutes carry attachments: members upload and choose documents and images.
        collection_permissions=("wagtaildocs.add_document", "wagtailimages.add_image", *CHOOSE_FILES),
    ),
    SharedRoleGroup(
        "local_office", "เจ้าหน้าที่องค์กรปกครองส่วนท้องถิ่น (อปท.)", LocalOfficeAssignment,
        permissions=(ACCESS_ADMIN,), collection_permissions=CHOOSE_FILES,
    ),
    SharedRoleGroup(
        "officer", "เจ้าหน้าที่ พมจ.", ProvincialOfficerAssignment,
        permissions=(ACCESS_ADMIN,), collection_permissions=CHOOSE_FILES,
    ),
    SharedRoleGroup(
        "registrar", "นายทะเบียน", RegistrarAssignment,
        permissions=(ACCESS_ADMIN,), collection_permissions=CHOOSE_FILES,
    ),
    SharedRoleGroup(
        "support", "เจ้าหน้าที่ พอช. (อ่านอย่างเดียว)", SupportStaffAssignment,
        # Read-only: the role listings, no page or workflow rights.
        permissions=(ACCESS_ADMIN, *PEOPLE_VIEW),
    ),
)
SHARED_GROUPS_BY_MODEL = {g.record_model: g for g in SHARED_GROUPS}


def _permissions(labels):
    """Permission objects for 'app_label.codename' labels (one query)."""
    if not labels:
        return []
    wanted = {tuple(label.split(".", 1)) for label in labels}
    perms = [
        p for p in Permission.objects.filter(codename__in=[c for _a, c in wanted]).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    return perms


def _page_permissions():
    page_type = ContentType.objects.get_for_model(Page)
    return list(Permission.objects.filter(content_type=page_type, codename__in=COMMITTEE_PAGE_PERMISSIONS))


def committee_group_name(network):
    return _committee_group_name(network.pk, network.title)


def _committee_group_name(network_id, title):
    # The page id keeps names unique when two networks share a title.
    suffix = f" [{network_id}]"
    prefix = "คณะกรรมการ: "
    return f"{prefix}{title[: GROUP_NAME_MAX - len(prefix) - len(suffix)]}{suffix}"


# --- Shared groups --------------------------------------------------------------------------------


def ensure_shared_group(spec):
    """The shared group of a role with exactly its permissions (idempotent)."""
    group, _created = Group.objects.get_or_create(name=spec.name)
    group.permissions.set(_permissions(spec.permissions))
    if spec.collection_permissions:
        root = Collection.get_first_root_node()
        perms = _permissions(spec.collection_permissions)
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=root, permission__in=perms
        ).delete()
        for perm in perms:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=perm)
    else:
        GroupCollectionPermission.objects.filter(group=group).delete()
    return group


def sync_shared_group(user_id, record_model):
    """Put the user in the role's shared group iff they hold an active record of that role."""
    spec = SHARED_GROUPS_BY_MODEL[record_model]
    active = record_model.objects.active().filter(user_id=user_id).exists()
    group = Group.objects.filter(name=spec.name).first()
    if active:
        if group is None:
            group = ensure_shared_group(spec)
        group.user_set.add(user_id)
    elif group is not None:
        group.user_set.remove(user_id)


# --- Committee groups -----------------------------------------------------------------------------


def ensure_committee_group(network):
    """The committee group of `network`, created on first use, with exactly its page permissions."""
    link = NetworkCommitteeGroup.objects.select_related("group").filter(network=network).first()
    if link is None:
        with transaction.atomic():
            group, _created = Group.objects.get_or_create(name=committee_group_name(network))
            link, _created = NetworkCommitteeGroup.objects.get_or_create(network=network, defaults={"group": group})
        group = link.group
        _set_committee_permissions(group, network)
    return link.group


def _set_committee_permissions(group, network):
    page_perms = _page_permissions()
    # Exactly add + change on the network page: anything else (publish, bulk delete, other pages)
    # is removed, whoever added it.
    GroupPagePermission.objects.filter(group=group).exclude(page_id=network.pk, permission__in=page_perms).delete()
    for perm in page_perms:
        GroupPagePermission.objects.get_or_create(group=group, page_id=network.pk, permission=perm)
    group.permissions.set(_permissions((ACCESS_ADMIN,)))


def sync_committee_access(user_id, network_id):
    """Bring one user's membership of one network's committee group in line with the records."""
    active = CommitteeMembership.objects.active().filter(user_id=user_id, network_id=network_id).exists()
    link = NetworkCommitteeGroup.objects.select_related("group").filter(network_id=network_id).first()
    if active:
        group = link.group if link is not None else ensure_committee_group(NetworkPage.objects.get(pk=network_id))
        group.user_set.add(user_id)
    elif link is not None:
        link.group.user_set.remove(user_id)
    sync_shared_group(user_id, CommitteeMembership)


# --- Full rebuild ---------------------------------------------------------------------------------

CHUNK = 500  # rows per IN (...) list, well under SQLite's limit on query parameters


@dataclass
class SyncReport:
    committee_groups: int = 0
    committee_groups_created: int = 0
    committee_users: int = 0
    memberships_added: int = 0
    memberships_removed: int = 0
    permissions_fixed: int = 0
    shared: dict = field(default_factory=dict)


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _reconcile(model, existing, wanted, make):
    """Make the rows of `model` in `existing` ({key: row id}) equal to the keys in `wanted`.
    Returns (added, removed)."""
    extra_ids = [row_id for key, row_id in existing.items() if key not in wanted]
    for chunk in _chunks(extra_ids):
        model.objects.filter(pk__in=chunk).delete()
    missing = [make(key) for key in wanted if key not in existing]
    model.objects.bulk_create(missing, batch_size=CHUNK, ignore_conflicts=True)
    return len(missing), len(extra_ids)


@transaction.atomic
def sync_all_role_groups():
    """Rebuild every group from the records, with a fixed number of bulk statements whatever the
    number of networks. Idempotent: a second run changes nothing."""
    report = SyncReport()
    User = get_user_model()
    for spec in SHARED_GROUPS:
        group = ensure_shared_group(spec)
        user_ids = set(spec.record_model.objects.active().values_list("user_id", flat=True))
        group.user_set.set(User.objects.filter(pk__in=user_ids))
        report.shared[spec.key] = len(user_ids)

    members_by_network = {}
    for network_id, user_id in CommitteeMembership.objects.active().values_list("network_id", "user_id"):
        members_by_network.setdefault(network_id, set()).add(user_id)

    # Groups: one per network that has (or had) members.
    group_by_network = dict(NetworkCommitteeGroup.objects.values_list("network_id", "group_id"))
    titles = dict(NetworkPage.objects.filter(pk__in=members_by_network).values_list("pk", "title"))
    wanted_names = {network_id: _committee_group_name(network_id, title) for network_id, title in titles.items()}
    new_networks = [network_id for network_id in titles if network_id not in group_by_network]
    if new_networks:
        linked_group_ids = set(group_by_network.values())
        names = [wanted_names[network_id] for network_id in new_networks]
        free_by_name = {
            name: group_id
            for name, group_id in Group.objects.filter(name__in=names).values_list("name", "id")
            if group_id not in linked_group_ids
        }
        Group.objects.bulk_create(
            [Group(name=name) for name in names if name not in free_by_name], batch_size=CHUNK
        )
        free_by_name.update(Group.objects.filter(name__in=names).exclude(pk__in=linked_group_ids).values_list("name", "id"))
        NetworkCommitteeGroup.objects.bulk_create(
            [NetworkCommitteeGroup(network_id=n, group_id=free_by_name[wanted_names[n]]) for n in new_networks],
            batch_size=CHUNK,
        )
        group_by_network.update({n: free_by_name[wanted_names[n]] for n in new_networks})
        report.committee_groups_created = len(new_networks)

    # A renamed network renames its group, unless the name is taken.
    group_ids = set(group_by_network.values())
    current_names = dict(Group.objects.filter(pk__in=group_ids).values_list("id", "name"))
    taken = set(Group.objects.filter(name__in=wanted_names.values()).values_list("name", flat=True))
    renamed = []
    for network_id, name in wanted_names.items():
        group_id = group_by_network[network_id]
        if current_names.get(group_id) != name and name not in taken:
            renamed.append(Group(pk=group_id, name=name))
    Group.objects.bulk_update(renamed, ["name"], batch_size=CHUNK)

    # Page permissions: exactly add + change on the group's own network, nothing else.
    page_perm_ids = [p.pk for p in _page_permissions()]
    wanted = {(g, n, p) for n, g in group_by_network.items() for p in page_perm_ids}
    existing = {}
    for chunk in _chunks(group_ids):
        existing.update(
            ((g, n, p), row_id)
            for row_id, g, n, p in GroupPagePermission.objects.filter(group_id__in=chunk).values_list(
                "id", "group_id", "page_id", "permission_id"
            )
        )
    added, removed = _reconcile(
        GroupPagePermission, existing, wanted, lambda key: GroupPagePermission(group_id=key[0], page_id=key[1], permission_id=key[2])
    )
    report.permissions_fixed += added + removed

    # Model permissions: admin access only.
    GroupPermissions = Group.permissions.through
    admin_perm_ids = [p.pk for p in _permissions((ACCESS_ADMIN,))]
    wanted = {(g, p) for g in group_ids for p in admin_perm_ids}
    existing = {}
    for chunk in _chunks(group_ids):
        existing.update(
            ((g, p), row_id)
            for row_id, g, p in GroupPermissions.objects.filter(group_id__in=chunk).values_list("id", "group_id", "permission_id")
        )
    added, removed = _reconcile(
        GroupPermissions, existing, wanted, lambda key: GroupPermissions(group_id=key[0], permission_id=key[1])
    )
    report.permissions_fixed += added + removed

    # Users: exactly the active members of each network.
    UserGroups = User.groups.through
    wanted = {(u, group_by_network[n]) for n, users in members_by_network.items() for u in users}
    existing = {}
    for chunk in _chunks(group_ids):
        existing.update(
            ((u, g), row_id)
            for row_id, u, g in UserGroups.objects.filter(group_id__in=chunk).values_list("id", "user_id", "group_id")
        )
    report.memberships_added, report.memberships_removed = _reconcile(
        UserGroups, existing, wanted, lambda key: UserGroups(user_id=key[0], group_id=key[1])
    )
    report.committee_groups = len(members_by_network)
    report.committee_users = sum(len(users) for users in members_by_network.values())
    return report
