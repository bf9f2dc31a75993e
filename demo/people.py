"""Role records for the demo users of `manage.py load_demo` (see demo/content.DEMO_USERS)."""

from django.db import transaction

from people import models as roles
from people.groups import sync_all_role_groups
from people.models import CommitteeMembership, CommitteeRole

DEMO_NOTE = "ข้อมูลสาธิต"
LOCAL_OFFICE_NAME = "เทศบาลตำบลบ้านดู่"
REGISTRAR_OFFICE = "สำนักงานคณะกรรมการส่งเสริมการจัดสวัสดิการสังคมแห่งชาติ (ก.ส.ค.)"
CODI_OFFICE = "สถาบันพัฒนาองค์กรชุมชน (พอช.) ภาคเหนือ"

# (user key, network key, committee role)
DEMO_MEMBERSHIPS = (
    ("cr_member", "chiang_rai", CommitteeRole.MEMBER),
    ("cr_secretary", "chiang_rai", CommitteeRole.SECRETARY),
    ("cr_chair", "chiang_rai", CommitteeRole.CHAIR),
    ("sp_chair", "samut_prakan", CommitteeRole.CHAIR),
    ("sp_secretary", "samut_prakan", CommitteeRole.SECRETARY),
    ("sp_member", "samut_prakan", CommitteeRole.MEMBER),
)
# The assignments that name no network: (user key, model, office).
DEMO_OFFICES = (
    ("registrar", roles.RegistrarAssignment, REGISTRAR_OFFICE),
    ("codi_staff", roles.SupportStaffAssignment, CODI_OFFICE),
)
DEMO_OFFICERS = (("officer_57", "57"), ("officer_11", "11"))
# (user key, network key, office): the local offices where the applications are filed. The provincial
# networks file at the provincial administrative organization (อบจ.) of their province.
DEMO_LOCAL_OFFICES = (
    ("local_office", "local_office_tambon", LOCAL_OFFICE_NAME),
    ("lo_57", "chiang_rai", "องค์การบริหารส่วนจังหวัดเชียงราย"),
    ("lo_11", "samut_prakan", "องค์การบริหารส่วนจังหวัดสมุทรปราการ"),
)


@transaction.atomic
def assign_demo_roles(users, networks):
    """Give the demo users their role records; idempotent.

    `users` maps demo user keys (cr_member, cr_secretary, cr_chair, sp_chair, local_office, lo_57, lo_11,
    officer_57, officer_11, registrar, codi_staff) to users; `networks` maps "chiang_rai", "samut_prakan" and
    "local_office_tambon" to NetworkPages. Keys that are missing are skipped. Returns what changed.
    """
    changes = []

    for user_key, network_key, role in DEMO_MEMBERSHIPS:
        user, network = users.get(user_key), networks.get(network_key)
        if user is None or network is None:
            continue
        membership = CommitteeMembership.objects.active().filter(user=user, network=network).first()
        if membership is None:
            if role == CommitteeRole.CHAIR and CommitteeMembership.objects.active().filter(
                network=network, role=CommitteeRole.CHAIR
            ).exists():
                # Somebody else chairs this network already: the demo does not unseat them.
                role = CommitteeRole.MEMBER
            CommitteeMembership.objects.create(user=user, network=network, role=role, note=DEMO_NOTE)
            changes.append(f"{user.get_username()}: {role} of {network.title}")

    for user_key, network_key, office in DEMO_LOCAL_OFFICES:
        user, network = users.get(user_key), networks.get(network_key)
        if user is None or network is None:
            continue
        _, created = roles.LocalOfficeAssignment.objects.active().get_or_create(
            user=user, network=network, defaults={"office_name": office, "note": DEMO_NOTE}
        )
        if created:
            changes.append(f"{user.get_username()}: local office of {network.title}")

    for user_key, province_code in DEMO_OFFICERS:
        user = users.get(user_key)
        if user is None:
            continue
        _, created = roles.ProvincialOfficerAssignment.objects.active().get_or_create(
            user=user, province_code=province_code, defaults={"note": DEMO_NOTE}
        )
        if created:
            changes.append(f"{user.get_username()}: officer of province {province_code}")

    for user_key, model, office in DEMO_OFFICES:
        user = users.get(user_key)
        if user is None:
            continue
        _, created = model.objects.active().get_or_create(
            user=user, defaults={"office_name": office, "note": DEMO_NOTE}
        )
        if created:
            changes.append(f"{user.get_username()}: {model._meta.verbose_name}")

    # The shared groups exist (with their permissions) even before anyone holds the role.
    sync_all_role_groups()
    return changes
