#!/usr/bin/env python
"""Benchmark: committee groups for every network of the country.

    .venv/bin/python bench/role_groups.py                      # SQLite, scratch file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/role_groups.py
                                                               # PostgreSQL, scratch database
                                                               # `welfare_bench_roles`, dropped afterwards
    .venv/bin/python bench/role_groups.py --province 57        # one province only

Loads the tree, gives every network three committee members (written in bulk, so no signal has
made any group yet), then times `sync_role_groups` building every group, a second run that must
change nothing, one membership saved and ended through the signals, and the role checks of one user.
Never touches the project's own database.
"""

import argparse
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "bench"))
sys.path.insert(0, str(BASE_DIR))

from load_tree import scratch_database, use_scratch_database  # noqa: E402

MEMBERS_PER_NETWORK = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", action="append", dest="provinces", metavar="CODE")
    args = parser.parse_args()

    url, _existed, cleanup, _engine = scratch_database("welfare_bench_roles")
    try:
        use_scratch_database(url)
        # App loading: the models can be imported only once django.setup() has run on the scratch database.
        from networks.models import NetworkPage
        from networks.tree import TreeLoader
        from people import roles
        from people.groups import sync_all_role_groups
        from people.models import CommitteeMembership

        call_command("migrate", verbosity=0, interactive=False)
        TreeLoader().load(args.provinces)
        network_ids = list(NetworkPage.objects.values_list("pk", flat=True))
        User = get_user_model()
        User.objects.bulk_create(
            [User(username=f"member{i}") for i in range(len(network_ids) * MEMBERS_PER_NETWORK)], batch_size=2000
        )
        user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        CommitteeMembership.objects.bulk_create(
            [
                CommitteeMembership(user_id=user_ids[i * MEMBERS_PER_NETWORK + k], network_id=network_id,
                                    role=("chair", "secretary", "member")[k])
                for i, network_id in enumerate(network_ids)
                for k in range(MEMBERS_PER_NETWORK)
            ],
            batch_size=2000,
        )
        print(f"{connection.vendor}: {len(network_ids)} networks, {len(user_ids)} committee members")

        def timed(label, func):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = func()
                seconds = time.perf_counter() - started
            print(f"  {label:40} {seconds:8.3f} s  {len(queries.captured_queries):6d} queries")
            return result

        report = timed("sync_role_groups (build all groups)", sync_all_role_groups)
        print(f"    {report.committee_groups_created} groups created, {report.memberships_added} users put in them")
        report = timed("sync_role_groups (again: no change)", sync_all_role_groups)
        assert report.committee_groups_created == report.memberships_added == report.permissions_fixed == 0

        newcomer = User.objects.create(username="newcomer")
        network_id = network_ids[len(network_ids) // 2]
        membership = timed("save one membership (signals)", lambda: CommitteeMembership.objects.create(
            user=newcomer, network_id=network_id, role="member"))

        def end():
            membership.ended_on = timezone.localdate()
            membership.save()

        timed("end it (signals)", end)

        member = User.objects.get(pk=user_ids[0])
        networks = list(NetworkPage.objects.order_by("?")[:500])

        def checks():
            for network in networks:
                roles.committee_role(member, network)
                roles.is_local_office_for(member, network)
                roles.is_provincial_officer_for(member, network)
                roles.is_registrar(member)

        timed("role checks on 500 networks", checks)
        connection.close()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
