"""The workflows' and steps' names in the reader's language. The database keeps one name per workflow
and task, in the site's language (workflows.building), and Wagtail prints it as stored: in its
templates, its workflow history and its log entries. These map a stored name, in either language, to
its road's label, so that an English screen says "Provincial review" and a Thai one «ตรวจสอบคำขอ»."""

import copy
from functools import cache

from django.utils import translation

from core.i18n import LANGUAGES_THAI_FIRST

from .building import WAGTAIL_DEFAULT_WORKFLOW, WAGTAIL_DEFAULT_WORKFLOW_LABEL
from .road import roads

WORKFLOW_LOG_ACTIONS = (
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.resume",
    "wagtail.workflow.cancel",
)


@cache
def _labels():
    labels = [WAGTAIL_DEFAULT_WORKFLOW_LABEL]
    for road in roads():
        labels.append(road.name)
        labels.extend(step.label for step in road.steps)
    by_name = {WAGTAIL_DEFAULT_WORKFLOW: WAGTAIL_DEFAULT_WORKFLOW_LABEL}
    for language in LANGUAGES_THAI_FIRST:
        with translation.override(language):
            by_name.update((str(label), label) for label in labels)
    return by_name


def label_for(stored_name):
    """The lazy label of a workflow or step stored as `stored_name`, or None for a name of no road."""
    return _labels().get(stored_name)


def translated_log_data(data):
    """A workflow log entry's data with its workflow and step titles in the active language."""
    if not isinstance(data, dict) or not (isinstance(data.get("workflow"), dict) or isinstance(data.get("task"), dict)):
        return data
    data = copy.deepcopy(data)
    workflow = data.get("workflow") if isinstance(data.get("workflow"), dict) else {}
    for part in (workflow, workflow.get("task"), workflow.get("next"), data.get("task")):
        if isinstance(part, dict) and isinstance(part.get("title"), str):
            label = label_for(part["title"])
            if label is not None:
                part["title"] = str(label)
    return data
