"""The three demo sources side by side: each kind of disagreement, resolving, a re-import and its
diff, and the commands."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from funds.models import FundRecord
from networks.models import NetworkPage
from reconciliation import services
from reconciliation.exports import open_disagreements_xlsx
from reconciliation.models import PendingUpload, Resolution, SourceImport, SourceRow
from tests import provinces

from .conftest import demo_file, import_bytes

# Chiang Rai built once for the module (tests/provinces.py); not in conftest.py, for the browser test (a
# transactional one) cannot run inside the module's transaction.
chiang_rai_built_once, chiang_rai = provinces.chiang_rai_built_once, provinces.chiang_rai


def fund(code):
    return NetworkPage.objects.get(area_code=code)


def comparison_of(code):
    network = fund(code)
    return services.compare_funds("57", NetworkPage.objects.filter(pk=network.pk))[0]


def open_fields(code):
    return {state.name: state.by_source for state in comparison_of(code).open_fields}


def test_each_kind_of_disagreement(demo_imports):
    # status, members, money, founding year
    assert open_fields("570106") == {"status": {"program": "operating", "matching": None, "survey": "dormant"}}
    assert open_fields("570103") == {"members_now": {"program": "1250", "matching": "1250", "survey": "1180"}}
    assert open_fields("570102") == {
        "matching_codi": {"program": "150000.00", "matching": "120000.00", "survey": None}}
    assert open_fields("570501") == {"founded_year": {"program": "2550", "matching": "2552", "survey": None}}
    # The Christian-Era year 2008 of the matching list agrees with the program's 2551.
    assert comparison_of("570104").state == "agree"
    # Missing in a source: ผางาม is only in the survey; แม่สาย is not in the matching list.
    assert comparison_of("570203").missing_in == ["program", "matching"]
    assert comparison_of("570901").missing_in == ["matching"]
    # A fund no source mentions is neither agreeing nor disagreeing.
    assert comparison_of("571801").state == "absent"
    # บ้านแซ่ว (matching list) is บ้านแซว: matched by similarity, and it agrees.
    row = SourceRow.objects.get(source_import=demo_imports["matching"], fund_name="ต.บ้านแซ่ว")
    assert (row.network.area_code, row.match_method) == ("570803", "fuzzy")
    assert comparison_of("570803").state == "agree"


def test_refused_and_waiting_rows_are_kept(demo_imports):
    survey = demo_imports["survey"]
    assert [row["row"] for row in survey.refused_rows] == [10]
    assert survey.refused_rows[0]["raw"]["ตำบล"] == "แม่อ้อ"  # nothing the source said is lost
    matching_rows = SourceRow.objects.filter(source_import=demo_imports["matching"])
    assert set(matching_rows.exclude(status="matched").values_list("fund_name", "status")) == {
        ("ต.เวียง", "ambiguous"), ("กองทุนสวัสดิการชุมชนบ้านห้วยน้ำขุ่น", "unmatched")}
    assert matching_rows.get(row_number=2).raw["ชื่อกองทุน"] == "ต.เวียง"


def test_counts_and_the_json_command(demo_imports):
    expected = {"funds": 124, "agree": 9, "disagree": 4, "missing_in": {"program": 1, "matching": 3, "survey": 1},
                "unmatched_rows": 2}
    assert services.counts("57") == expected
    out = io.StringIO()
    call_command("reconcile_funds", "--province", "57", "--json", stdout=out)
    assert json.loads(out.getvalue()) == expected
    assert list(json.loads(out.getvalue())) == ["funds", "agree", "disagree", "missing_in", "unmatched_rows"]


def test_district_progress(demo_imports):
    progress = {entry.code: entry for entry in services.district_progress("57", services.compare_funds("57"))}
    assert len(progress) == 18
    mueang = progress["5701"]
    assert (mueang.funds, mueang.agree, mueang.disagree) == (16, 2, 3)
    assert progress["5715"].unmatched_rows == 1  # the row of บ้านห้วยน้ำขุ่น names Mae Fa Luang
    assert progress["5702"].missing == {"program": 1, "matching": 1, "survey": 0}


def test_resolving_from_a_source_sets_the_fund_record_with_its_origin(demo_imports, officer):
    network = fund("570103")
    services.resolve(network, "members_now", user=officer, reason="ตรวจทะเบียนสมาชิกแล้ว", source="survey")
    record = FundRecord.objects.get(network=network)
    assert record.members_now == 1180
    latest = record.history.latest()
    assert latest.history_user == officer
    assert "survey-2562.csv" in latest.history_change_reason and "ตรวจทะเบียนสมาชิกแล้ว" in latest.history_change_reason
    assert comparison_of("570103").state == "agree"
    assert Resolution.objects.get(network=network).chosen_source == "survey"


def test_resolving_by_hand_and_refusals(demo_imports, officer):
    network = fund("570501")
    with pytest.raises(ValidationError):
        services.resolve(network, "founded_year", user=officer, reason="  ", value="2551")
    with pytest.raises(ValidationError):
        services.resolve(network, "founded_year", user=officer, reason="ดูจากรายงานการประชุม", value="ไม่ทราบ")
    with pytest.raises(ValidationError):  # the fund record refuses a year that has not begun
        services.resolve(network, "founded_year", user=officer, reason="ดูจากรายงานการประชุม", value="2690")
    assert not Resolution.objects.exists() and not FundRecord.objects.filter(network=network).exists()
    services.resolve(network, "founded_year", user=officer, reason="ดูจากรายงานการประชุม", value="๒๕๕๑")
    assert FundRecord.objects.get(network=network).founded_year == 2551
    assert comparison_of("570501").fields[1].state == "resolved"


def test_a_newer_import_that_disagrees_opens_a_resolved_field_again(demo_imports, officer):
    network = fund("570102")
    services.resolve(network, "matching_codi", user=officer, reason="ตามหนังสืออนุมัติ", source="program")
    assert comparison_of("570102").state == "agree"
    data = demo_file("matching-2562.csv").decode("cp874").replace('"120,000"', '"125,000"').encode("cp874")
    newer = import_bytes(data, "matching-2563.csv", "matching", officer)
    assert newer.previous == demo_imports["matching"]
    assert open_fields("570102")["matching_codi"]["matching"] == "125000.00"


def test_re_import_shows_what_changed(demo_imports, officer):
    text = demo_file("survey-2562.csv").decode("utf-8-sig")
    text = text.replace("บ้านดู่,ดำเนินการ,\"๑,๑๘๐\"", "บ้านดู่,ดำเนินการ,\"๑,๒๕๐\"")
    text = "\n".join(line for line in text.split("\n") if "แม่สาย" not in line)
    text += "เชียงแสน,ป่าสัก,ดำเนินการ,๔๕๐,เครือข่ายอำเภอเชียงแสน,\n"
    newer = import_bytes(text.encode("utf-8"), "survey-2563.csv", "survey", officer)
    diff = services.diff_import(newer)
    assert [title for _pk, title in diff.added] == ["กองทุนสวัสดิการชุมชนตำบลป่าสัก"]
    assert [title for _pk, title in diff.removed] == ["กองทุนสวัสดิการชุมชนตำบลแม่สาย"]
    assert [(title, changes) for _pk, title, changes in diff.changed] == [
        ("กองทุนสวัสดิการชุมชนตำบลบ้านดู่", [("members_now", "1180", "1250")])]
    # The older import is kept, superseded; the comparison reads the newer one.
    assert set(SourceImport.objects.current("57").values_list("pk", flat=True)) == {
        demo_imports["program"].pk, demo_imports["matching"].pk, newer.pk}
    assert comparison_of("570103").state == "agree"


def test_choosing_the_fund_of_an_ambiguous_row(demo_imports, officer):
    row = SourceRow.objects.get(source_import=demo_imports["matching"], status="ambiguous")
    with pytest.raises(ValidationError):  # Wiang of Mueang already has its row in this file
        services.choose_fund(row, fund("570101"), user=officer)
    services.choose_fund(row, fund("570801"), user=officer)
    row.refresh_from_db()
    assert (row.status, row.match_method, row.chosen_by) == ("matched", "person", officer)
    assert comparison_of("570801").missing_in == ["program", "survey"]
    assert services.counts("57")["unmatched_rows"] == 1


def test_disagreements_xlsx_of_a_district(demo_imports):
    comparisons = services.compare_funds("57", NetworkPage.objects.filter(area_code__startswith="5701", level="tambon"))
    sheet = load_workbook(io.BytesIO(open_disagreements_xlsx(comparisons, "5701"))).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted(r[0] for r in rows) == ["570102", "570103", "570106"]
    assert any(r[0] == "570103" and "1,180" in r for r in rows)


def test_import_command_prints_refused_rows_and_saves(chiang_rai, media, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_bytes(demo_file("survey-2562.csv"))
    out = io.StringIO()
    call_command("import_fund_source", "--source", "survey", "--province", "57", str(path), stdout=out)
    output = out.getvalue()
    assert "UTF-8 (BOM)" in output
    assert "row 10 refused" in output and "ไม่ทราบ" in output
    assert SourceImport.objects.get().rows.count() == 12


def test_import_command_with_a_mapping_and_a_dry_run(chiang_rai, media, tmp_path):
    path = tmp_path / "matching.csv"
    path.write_bytes(demo_file("matching-2562.csv"))
    out = io.StringIO()
    call_command("import_fund_source", "--source", "matching", "--province", "57", str(path),
                 "--mapping", "จำนวนสมาชิก=,ลำดับ=", "--dry-run", stdout=out)
    assert "cp874" in out.getvalue() and "จำนวนสมาชิก -> -" in out.getvalue()
    assert "nothing saved" in out.getvalue()
    assert not SourceImport.objects.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02binary", "binary data"),
    ("ชื่อ,อำเภอ\nเวียง,เมือง\n".encode(), None),
])
def test_import_command_saves_nothing_for_a_bad_file(chiang_rai, media, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    args = ["import_fund_source", "--source", "program", "--province", "57", str(path)]
    if message is None:  # a table, but the mapping leaves no column naming the fund
        args += ["--mapping", "ชื่อ="]
    with pytest.raises(CommandError) as caught:
        call_command(*args)
    assert "Nothing was saved" in str(caught.value)
    assert not SourceImport.objects.exists() and not SourceRow.objects.exists() and not PendingUpload.objects.exists()


def test_money_kept_to_the_satang(demo_imports):
    row = SourceRow.objects.get(source_import=demo_imports["program"], tambon_code="570101")
    assert Decimal(row.values["savings_members"]) == Decimal("1850000.00")


def test_agreed_values_written_to_the_fund_records(demo_imports, officer):
    updated, refused = services.apply_agreed("57", user=officer)
    assert refused == {}
    assert updated == 13  # every fund a source mentions has at least one field all its sources agree on
    wiang = FundRecord.objects.get(network__area_code="570101")
    assert (wiang.members_now, wiang.founded_year, wiang.matching_codi) == (1420, 2549, Decimal("180000.00"))
    assert wiang.history.latest().history_change_reason.startswith(services.AGREED_ORIGIN)
    # A field that disagrees is not written: บ้านดู่'s members wait for a person.
    assert FundRecord.objects.get(network__area_code="570103").members_now is None
    assert services.apply_agreed("57", user=officer) == (0, {})  # nothing left to write


def test_import_command_shows_what_changed_since_the_current_import(demo_imports, tmp_path):
    text = demo_file("survey-2562.csv").decode("utf-8-sig").replace("หยุดดำเนินการชั่วคราว", "ยุบเลิก")
    path = tmp_path / "survey-2563.csv"
    path.write_bytes(text.encode("cp874"))
    out = io.StringIO()
    call_command("import_fund_source", "--source", "survey", "--province", "57", str(path), stdout=out)
    assert "cp874" in out.getvalue()
    assert "0 funds added, 0 removed, 1 changed" in out.getvalue()
    assert "กองทุนสวัสดิการชุมชนตำบลแม่ยาว" in out.getvalue()
    assert SourceImport.objects.current("57").get(source="survey").previous == demo_imports["survey"]
