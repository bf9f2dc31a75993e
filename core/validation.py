"""Text a user must write (a reason, a comment): one rule, whether it comes through a form or a service."""

from django import forms
from django.core.exceptions import ValidationError


def require_text(value, message, field=None):
    """`value` stripped; a ValidationError with `message` (on `field`, if given) when nothing is left."""
    text = (value or "").strip()
    if not text:
        error = ValidationError(message, code="required")
        raise ValidationError({field: error}) if field else error
    return text


class RequiredTextField(forms.CharField):
    """A form field for text the user must write: empty, or only spaces, is refused with `message`."""

    def __init__(self, *, message, rows=4, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(required=True, error_messages={"required": message}, **kwargs)

    def validate(self, value):
        require_text(value, self.error_messages["required"])
