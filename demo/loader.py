"""Build the demo: networks' figures, draft documents of Chiang Rai, Samut Prakan's funds, demo users.

Everything is looked up before it is made, so a second run finds it all and changes nothing.
Pages are created through Wagtail's API (`add_child`, `save_revision`) so that they have revisions
and history as if a committee member had written them; the documents stay drafts, for the approval
workflow to carry.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import geothai
from django.contrib.auth import get_user_model
from django.db import transaction

from networks.models import NetworkLevel, NetworkPage
from networks.tree import TreeLoader
from pages.models import ActionPlanActivity, ActionPlanPage, CharterPage, MeetingMinutesPage

from . import content
from .funds import load_fund_demo
from .reconciliation import load_reconciliation_demo

# --- Building the documents (shared with demo.road) ------------------------------------------


def add_draft(network, page, author):
    """Add `page` under `network` as a draft written by `author`, as the admin's create view does:
    `add_child` logs "wagtail.create" for the owner, the revision is logged as nothing more."""
    page.owner = author
    page.live = False
    page.has_unpublished_changes = True
    network.add_child(instance=page)
    page.save_revision(user=author, log_action=False)
    return page


def draft_once(network, model, slug, author, build, changes):
    """The `model` page `slug` under `network` when an earlier run made it; else `build()` added as a
    draft by `author`, and said in `changes`. What makes running the demo twice change nothing."""
    page = model.objects.filter(network=network, slug=slug).first()
    if page is None:
        page = add_draft(network, build(), author)
        changes.append(f"draft {page.title}")
    return page


def _present_member(model, name, position, substitute_for, is_committee_member=True):
    return model(name=name, position=position, substitute_for=substitute_for,
                 is_committee_member=is_committee_member)


def minutes_page(minutes, present, absent, others):
    """An unsaved MeetingMinutesPage from `minutes`, a table of demo/data/documents.toml: the page's fields
    and its `agenda` [{title, summary, resolution}], numbered from 0 in the order given. `present` rows are
    (name, position, substituting for[, committee member]), `absent` (name, position, reason), `others`
    (name, position)."""
    fields = {name: value for name, value in minutes.items() if name != "agenda"}
    page = MeetingMinutesPage(**fields)
    page.present_members.set([_present_member(page.present_members.model, *row) for row in present])
    page.absent_members.set([
        page.absent_members.model(name=name, position=position, reason=reason) for name, position, reason in absent
    ])
    page.other_attendees.set([page.other_attendees.model(name=name, position=position) for name, position in others])
    page.agenda_items.set([
        page.agenda_items.model(**item, sort_order=i) for i, item in enumerate(minutes["agenda"])
    ])
    return page


def action_plan_page(plan, slug=""):
    """An unsaved ActionPlanPage from `plan`, a table of demo/data/documents.toml: the page's fields and its
    `activities`, each the fields of an ActionPlanActivity (the budget a string, kept exact as a Decimal).
    Without `slug`, the page derives its own on save."""
    fields = {name: value for name, value in plan.items() if name != "activities"}
    page = ActionPlanPage(slug=slug, **fields)
    page.activities.set([
        ActionPlanActivity(**dict(activity, budget=Decimal(activity["budget"]))) for activity in plan["activities"]
    ])
    return page


@dataclass
class DemoData:
    """What the demo is made of, handed to the role assignment: users by key, networks by key."""

    users: dict = field(default_factory=dict)
    networks: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.data = DemoData()

    def load(self):
        # The tree of the two demo provinces must exist, even right after `migrate` without the
        # full load; the loader adds only what is missing.
        created = TreeLoader().load([content.CHIANG_RAI, content.SAMUT_PRAKAN])
        if created.total_created:
            self.data.changes.append(f"networks of provinces 57 and 11: {created.total_created}")
        with transaction.atomic():
            self.make_users()
            self.find_networks()
            self.update_network(self.data.networks["chiang_rai"], content.CHIANG_RAI_NETWORK)
            self.update_network(self.data.networks["samut_prakan"], content.SAMUT_PRAKAN_NETWORK)
            self.update_samut_prakan_funds()
            self.data.changes.extend(load_fund_demo(
                self.data.networks["samut_prakan_funds"], self.data.networks["samut_prakan"], self.data.users
            ))
            self.data.changes.extend(load_reconciliation_demo(self.data.users))
            self.make_charter()
            self.make_minutes()
            self.make_action_plan()
        return self.data

    # --- users -----------------------------------------------------------------------------------

    def make_users(self):
        User = get_user_model()
        for key, (username, first_name, last_name, _description) in content.DEMO_USERS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first_name, last_name=last_name,
                            email=f"{username}@demo.welfare-charters.local")
                if key == "admin":
                    user.is_staff = user.is_superuser = True
                user.set_password(content.DEMO_PASSWORD)
                user.save()
                self.data.changes.append(f"user {username}")
            self.data.users[key] = user

    # --- networks --------------------------------------------------------------------------------

    def find_networks(self):
        by_code = {
            n.area_code: n
            for n in NetworkPage.objects.filter(
                area_code__in=[content.CHIANG_RAI, content.SAMUT_PRAKAN, content.LOCAL_OFFICE_TAMBON]
            )
        }
        self.data.networks["chiang_rai"] = by_code[content.CHIANG_RAI]
        self.data.networks["samut_prakan"] = by_code[content.SAMUT_PRAKAN]
        self.data.networks["local_office_tambon"] = by_code[content.LOCAL_OFFICE_TAMBON]

    def update_network(self, network, values, report=True):
        """Publish a revision with `values` unless the network already has them."""
        page = network.get_latest_revision_as_object() if network.has_unpublished_changes else network
        if all(getattr(page, name) == value for name, value in values.items()):
            return False
        for name, value in values.items():
            setattr(page, name, value)
        page.save_revision(user=self.data.users["admin"], log_action=True).publish(user=self.data.users["admin"])
        if report:
            self.data.changes.append(f"figures of {network.title}")
        return True

    def update_samut_prakan_funds(self):
        province = self.data.networks["samut_prakan"]
        districts = [d.code for d in geothai.districts(content.SAMUT_PRAKAN)]
        tambons = [[t.code for t in geothai.subdistricts(code)] for code in districts]
        chosen = content.choose_member_funds(tambons)
        funds = NetworkPage.objects.filter(
            level=NetworkLevel.TAMBON, area_code__in=chosen, path__startswith=province.path
        ).order_by("area_code")
        updated = sum(
            self.update_network(fund, content.fund_figures(fund.area_code), report=False) for fund in funds
        )
        if updated:
            self.data.changes.append(f"figures of {updated} tambon funds of Samut Prakan")
        self.data.networks["samut_prakan_funds"] = list(funds)

    # --- documents -------------------------------------------------------------------------------

    def _chiang_rai_draft(self, key, model, slug, author, build):
        self.data.documents[key] = draft_once(
            self.data.networks["chiang_rai"], model, slug, self.data.users[author], build, self.data.changes
        )

    def make_charter(self):
        self._chiang_rai_draft("charter", CharterPage, "charter", "cr_member", lambda: CharterPage(
            title=content.CHARTER_TITLE,
            version_label=content.CHARTER_VERSION,
            preamble=content.CHARTER_PREAMBLE,
            chapters=content.charter_stream_data(),
        ))

    def make_minutes(self):
        self._chiang_rai_draft("minutes", MeetingMinutesPage, "minutes-1-2562", "cr_secretary", lambda: minutes_page(
            content.MINUTES, content.MINUTES_PRESENT, content.MINUTES_ABSENT, content.MINUTES_OTHERS,
        ))

    def make_action_plan(self):
        self._chiang_rai_draft(
            "action_plan", ActionPlanPage, "action-plan-2562", "cr_member", lambda: action_plan_page(content.ACTION_PLAN)
        )
