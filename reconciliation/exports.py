"""The XLSX of a district's open disagreements, to send to the district network."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.geography import district_name

from .models import SOURCES, Source
from .services import display_value


def open_disagreements_xlsx(comparisons, district_code):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Disagreements")[:31]
    sheet.append([_("Open disagreements: %(district)s") % {"district": district_name(district_code)}])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Tambon code"), _("Fund"), _("Field"), *[str(Source(s).label) for s in SOURCES], _("Fund record now")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for comparison in comparisons:
        for state in comparison.open_fields:
            sheet.append([
                comparison.area_code, comparison.title, str(state.label),
                *[display_value(state.name, state.by_source.get(source)) if source in comparison.present
                  else _("not imported") for source in SOURCES],
                display_value(state.name, state.record_value),
            ])
    missing = workbook.create_sheet(_("Missing in a source")[:31])
    missing.append([_("Tambon code"), _("Fund"), _("Missing in")])
    for cell in missing[1]:
        cell.font = Font(bold=True)
    for comparison in comparisons:
        if comparison.missing_in:
            missing.append([comparison.area_code, comparison.title,
                            ", ".join(str(Source(source).label) for source in comparison.missing_in)])
    for worksheet in (sheet, missing):
        worksheet.column_dimensions["B"].width = 40
        worksheet.column_dimensions["C"].width = 28
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
