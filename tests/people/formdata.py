"""Post back an admin form as a browser would: every field with the value the page rendered."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormScraper(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.in_form = False
        self.depth = 0
        self.data = {}
        self._textarea = None
        self._select = None
        self._select_first = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = name
            self._select_first = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.data[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, "")
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def scrape_form(html, form_id):
    scraper = _FormScraper(form_id)
    scraper.feed(html)
    return scraper.data


def page_edit_form(client, page):
    """The admin's edit form of `page` as the browser would post it back, once it has opened."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    return scrape_form(response.content.decode(), "page-edit-form")
