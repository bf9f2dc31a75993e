"""The demo's three Chiang Rai files, imported and partly reconciled, twice without change."""

from demo.reconciliation import load_reconciliation_demo
from reconciliation import services
from reconciliation.models import Resolution, SourceImport, SourceRow
from tests.factories import make_user


def test_demo_imports_and_settles_part_and_runs_twice(chiang_rai, media):
    users = {"codi_staff": make_user("codi_staff")}
    changes = load_reconciliation_demo(users)
    assert len(changes) == 6
    assert sorted(SourceImport.objects.values_list("source", "encoding")) == [
        ("matching", "cp874"), ("program", ""), ("survey", "utf-8-sig")]
    assert services.counts("57") == {
        "funds": 124, "agree": 12, "disagree": 2, "missing_in": {"program": 2, "matching": 3, "survey": 2},
        "unmatched_rows": 1,
    }
    assert load_reconciliation_demo(users) == []
    assert SourceImport.objects.count() == 3 and Resolution.objects.count() == 2
    assert SourceRow.objects.filter(match_method="person").count() == 1
