"""core.fields: the user who did something to a record, declared once for every app."""

from django.conf import settings
from django.db import models

from core.fields import acting_user


def test_an_acting_user_is_optional_kept_null_when_the_account_goes_and_has_no_reverse_accessor():
    field = acting_user("decided by")

    assert field.remote_field.model == settings.AUTH_USER_MODEL
    assert (field.null, field.blank) == (True, True)
    assert field.remote_field.on_delete is models.SET_NULL
    assert field.remote_field.related_name == "+"
    assert field.verbose_name == "decided by"


def test_without_a_label_django_names_it_after_the_attribute():
    assert acting_user().verbose_name is None


def test_an_option_of_the_model_wins_over_the_default():
    assert acting_user("resolved by", blank=False).blank is False
