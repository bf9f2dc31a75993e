"""What each kind of official document is made from: the source model, its template and context,
and whether the PDF may be public. The context holds only data of the source (no clock), so the
rendered HTML, and therefore the content hash, changes exactly when the source does."""


from django.apps import apps

from core.geography import province_name
from core.thaidate import format_thai_date, thai_numerals
from pages.doctypes import document_types

from .minutes import keep_names_together, minutes_quorum
from .models import DocumentKind
from .rendering import qr_code_data_uri, verification_url


class DocumentSource:
    kind: str
    model_label: str
    title = ""

    @property
    def template_name(self):
        # One template a kind: documents/templates/documents/<kind>.html.
        return f"documents/{self.kind}.html"

    def model(self):
        return apps.get_model(self.model_label)

    def load(self, pk):
        return self.queryset().get(pk=pk)

    def queryset(self):
        return self.model()._default_manager.all()

    def context(self, obj) -> dict:
        raise NotImplementedError

    def is_public(self, obj) -> bool:
        return True

    def document_title(self, obj) -> str:
        return f"{self.title} {obj}"

    def file_name(self, obj, sha: str) -> str:
        return f"{self.kind}-{obj.pk}-{sha[:12]}.pdf"


class PageSource(DocumentSource):
    """A document page's PDF is public exactly while the page is. Its page model is the one of the
    document type whose PDF is of this kind (pages.doctypes)."""

    @property
    def model_label(self):
        return next(doctype.model_label for doctype in document_types() if doctype.pdf_kind == self.kind)

    def is_public(self, page):
        return page.live


class CertificateSource(DocumentSource):
    kind = DocumentKind.CERTIFICATE
    model_label = "registry.RegistryEntry"
    title = "ใบสำคัญแสดงการรับรององค์กรสวัสดิการชุมชน"

    def queryset(self):
        return super().queryset().select_related("network")

    def context(self, entry):
        url = verification_url(entry.registration_number)
        return {
            "entry": entry,
            "registration_number_thai": thai_numerals(entry.registration_number),
            "registered_on_thai": format_thai_date(entry.registered_on, numerals=True),
            "revoked_on_thai": format_thai_date(entry.revoked_on, numerals=True),
            "dissolved_on_thai": format_thai_date(entry.dissolved_on, numerals=True),
            "verification_url": url,
            "qr_code": qr_code_data_uri(url),
        }

    def document_title(self, entry):
        return f"{self.title} {entry.registration_number} {entry.organization_name}"


class MinutesSource(PageSource):
    kind = DocumentKind.MINUTES
    title = "รายงานการประชุม"

    def queryset(self):
        return super().queryset().prefetch_related(
            "present_members", "absent_members", "other_attendees", "agenda_items", "attachments__document"
        )

    def context(self, page):
        return {
            "page": page,
            "body_name_html": keep_names_together(page.body_name),
            "quorum": minutes_quorum(page, list(page.present_members.all())).thai(),
            "number_thai": thai_numerals(page.number_label),
            "date_thai": format_thai_date(page.meeting_date, numerals=True),
            "start_time_thai": thai_numerals(page.start_time.strftime("%H.%M")) if page.start_time else "",
            "end_time_thai": thai_numerals(page.end_time.strftime("%H.%M")) if page.end_time else "",
        }

    def document_title(self, page):
        return f"{self.title} {page.body_name} ครั้งที่ {page.number_label}"


class CharterSource(PageSource):
    kind = DocumentKind.CHARTER

    def context(self, page):
        chapters = [
            (thai_numerals(no), title, [(thai_numerals(n), text) for n, text in clauses])
            for no, title, clauses in page.numbered_chapters()
        ]
        return {"page": page, "title_html": keep_names_together(page.title), "chapters": chapters}

    def document_title(self, page):
        return f"{page.title} {page.version_label}"


class AnnouncementSource(DocumentSource):
    kind = DocumentKind.ANNOUNCEMENT
    model_label = "registry.RegistrationAnnouncement"
    title = "ประกาศรายชื่อองค์กรสวัสดิการชุมชนที่ได้รับการรับรอง"

    def context(self, announcement):
        entries = list(
            announcement.entries.select_related("network").order_by("registered_on", "registration_number")
        )
        rows = [
            {
                "no": thai_numerals(i),
                "number": thai_numerals(e.registration_number),
                "name": e.organization_name,
                "province": _province_name(e.network),
                "date": format_thai_date(e.registered_on, numerals=True),
            }
            for i, e in enumerate(entries, 1)
        ]
        return {
            "announcement": announcement,
            "number_thai": thai_numerals(announcement.number),
            "issued_on_thai": format_thai_date(announcement.issued_on, numerals=True),
            "rows": rows,
        }

    def document_title(self, announcement):
        return f"{self.title} ฉบับที่ {announcement.number}"


def _province_name(network):
    return province_name(network.province_code or "", english=False, default="")


SOURCES = {s.kind: s for s in (CertificateSource(), MinutesSource(), CharterSource(), AnnouncementSource())}


def source_for(kind) -> DocumentSource:
    try:
        return SOURCES[kind]
    except KeyError:
        raise ValueError(f"Unknown kind of document: {kind!r}") from None
