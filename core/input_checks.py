"""Input no view should ever see: a NUL character or bytes that are not UTF-8, in the path, the query
string or a submitted form. PostgreSQL refuses NUL in text (a 500 from deep inside a query), and text
that is not UTF-8 reaches the forms as replacement characters; so such a request is answered here, before
any view, with a 400 and a message in Thai and English, and nothing is read from or written to the
database. Bounded numbers for query parameters are parsed with `bounded_int`."""

from urllib.parse import unquote_to_bytes

import filetype
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MALFORMED_INPUT = _(
    "The request holds characters that are not allowed (a NUL character or text that is not UTF-8). "
    "Nothing was changed."
)
NOT_A_FORM = _(
    "This address takes a filled-in form, not %(content_type)s. Nothing was changed."
)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The public JSON API, in either language; everything else answers HTML.
JSON_PATH_PREFIXES = ("/api/", "/en/api/")


def is_malformed_urlencoded(raw):
    """True when `raw` (a query string or a url-encoded body, str or bytes) decodes to a NUL or to bytes
    that are not UTF-8."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1", errors="replace")
    data = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def is_malformed_text(value):
    """A decoded text field: a NUL, or the replacement character Django puts in place of bytes that are
    not UTF-8."""
    return isinstance(value, str) and ("\x00" in value or "\ufffd" in value)


def _multipart_is_malformed(request):
    for key, values in request.POST.lists():
        if is_malformed_text(key) or any(is_malformed_text(value) for value in values):
            return True
    return any(is_malformed_text(upload.name) for uploads in request.FILES.lists() for upload in uploads[1])


def request_is_malformed(request):
    if "\x00" in request.path_info:
        return True
    if is_malformed_urlencoded(request.META.get("QUERY_STRING", "")):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return is_malformed_urlencoded(request.body)
    if content_type == "multipart/form-data":
        return _multipart_is_malformed(request)
    return False


def malformed_input_response(request, message=MALFORMED_INPUT, status=400, params=None):
    # Thai first, then English: the language middleware has not chosen one yet.
    messages = []
    for language in ("th", "en"):
        with translation.override(language):
            text = gettext(message)
            messages.append(text % params if params else text)
    if request.path_info.startswith(JSON_PATH_PREFIXES):
        response = JsonResponse({"message": " / ".join(messages)}, status=status,
                                json_dumps_params={"ensure_ascii": False})
    else:
        body = "".join(
            f'<p lang="{language}">{escape(text)}</p>' for language, text in zip(("th", "en"), messages, strict=True)
        )
        response = HttpResponse(
            f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{status}</title></head>'
            f"<body>{body}</body></html>",
            content_type="text/html; charset=utf-8",
            status=status,
        )
    response["Cache-Control"] = "no-store"
    return response


class RefuseMalformedInputMiddleware:
    """Early in the middleware list: before the page cache, the session and the views touch anything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_is_malformed(request):
            return malformed_input_response(request, MALFORMED_INPUT)
        if is_post_of_something_else(request):
            return malformed_input_response(
                request, NOT_A_FORM, status=415, params={"content_type": request.content_type}
            )
        return self.get_response(request)


def is_post_of_something_else(request):
    """A POST with a body that is not a form (JSON, XML, text) to a page that takes forms: the form
    would read it as empty, and a form whose fields are all optional would act on it. The JSON API is
    read-only (it answers 405 itself); Wagtail's own JSON calls use PATCH."""
    if request.method != "POST" or request.path_info.startswith(JSON_PATH_PREFIXES):
        return False
    if not int(request.META.get("CONTENT_LENGTH") or 0):
        return False
    return (request.content_type or "") not in FORM_CONTENT_TYPES


MAX_ID = 2_147_483_647  # the database's integer ids


class IdConverter:
    """`<id:pk>` in a URL: a whole number the database can hold, else the URL does not match (404)
    instead of overflowing a query."""

    regex = "[0-9]{1,10}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


class BoundedIntError(ValueError):
    """The parameter is not a whole number within its bounds; `str()` is the user's message."""


def bounded_int(raw, *, name, minimum=0, maximum):
    """`raw` as an int within [minimum, maximum], else BoundedIntError with a message naming `name`. A
    number too large for the database never reaches it."""
    text = str(raw).strip()
    # int() accepts "1_000" and thousands of digits; a query parameter is plain digits, and short.
    if not text.lstrip("-").isdigit() or not text.isascii() or len(text) > 20:
        raise BoundedIntError(gettext("“%(name)s” must be a whole number.") % {"name": name})
    value = int(text)
    if not minimum <= value <= maximum:
        raise BoundedIntError(
            gettext("“%(name)s” must be between %(min)s and %(max)s.") % {"name": name, "min": minimum, "max": maximum}
        )
    return value


# What the first bytes of an uploaded file must be, by the extension its name claims (the `filetype`
# package, which Wagtail's images already use, reads the signatures).
UPLOAD_SIGNATURES = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
}
WRONG_FILE_CONTENT = _(
    "The content of “%(name)s” is not a %(extension)s file (its name may have been changed). "
    "Upload the file itself, saved as PDF, PNG or JPG."
)


def upload_content_matches_name(upload):
    """True when the uploaded file's first bytes are those of the type its extension claims; an
    extension outside UPLOAD_SIGNATURES is someone else's check (Wagtail's allowed extensions)."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    expected = UPLOAD_SIGNATURES.get(extension)
    if expected is None:
        return True
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    return kind is not None and kind.mime in expected
