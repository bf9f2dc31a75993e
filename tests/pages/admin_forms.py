"""Build the POST data of the Wagtail admin's page forms, nested as the admin's JavaScript posts it
(the helpers of `wagtail.test.utils.form_data`, plus ListBlock, which they do not cover)."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield


def list_block(values):
    """ListBlock data: `<prefix>-count`, then `-N-value`, `-N-order`, `-N-deleted`, `-N-id` per item."""
    data = {
        str(i): {"value": value, "order": str(i), "deleted": "", "id": ""} for i, value in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


def chapters(*chapters):
    """[(title, [clause, ...]), ...] as the charter's `chapters` StreamField posts it."""
    return streamfield([("chapter", {"title": title, "clauses": list_block(clauses)}) for title, clauses in chapters])


def page_form(fields, comments=True, **formsets):
    """The whole form: plain fields, inline formsets by relation name, and the (empty) comments formset
    that the documents' CommentPanel adds."""
    data = dict(fields)
    for name, items in formsets.items():
        data[name] = inline_formset(items)
    if comments:
        data["comments"] = inline_formset([])
    return nested_form_data(data)


def add_url(model_name, parent):
    app_label = "networks" if model_name in ("homepage", "networkpage") else "pages"
    return f"/admin/pages/add/{app_label}/{model_name}/{parent.pk}/"
