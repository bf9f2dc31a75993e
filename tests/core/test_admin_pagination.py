"""The pager shared by the admin listings (core/includes/admin_pagination.html: the readable documents,
the funds, the registrar's overdue list): its links keep the listing's filters and change only the page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

PAGER = "core/includes/admin_pagination.html"


def links(query, page_number, **context):
    request = RequestFactory().get("/admin/read/", query)
    page_obj = Paginator(range(120), 50).get_page(page_number)
    html = render_to_string(PAGER, {"page_obj": page_obj, **context}, request=request)
    return BeautifulSoup(html, "html.parser")


def query_of(link):
    return parse_qs(urlsplit(link["href"]).query)


def test_the_links_keep_the_filters_and_change_the_page():
    soup = links({"q": "ธรรมนูญ", "province": "57", "p": "2"}, 2)
    previous, following = soup.find_all("a")
    assert query_of(previous) == {"q": ["ธรรมนูญ"], "province": ["57"], "p": ["1"]}
    assert query_of(following) == {"q": ["ธรรมนูญ"], "province": ["57"], "p": ["3"]}
    assert soup.nav["aria-label"]
    assert "button" not in (previous.get("class") or [])


def test_a_listing_that_names_its_page_parameter_page():
    soup = links({"province": "57", "page": "1"}, 1, page_param="page")
    (following,) = soup.find_all("a")
    assert query_of(following) == {"province": ["57"], "page": ["2"]}


@pytest.mark.parametrize("page_number", [1, 3])
def test_the_first_and_the_last_page_link_one_way(page_number):
    soup = links({}, page_number, buttons=True)
    (link,) = soup.find_all("a")
    assert query_of(link) == {"p": ["2"]}
    assert "button-small" in link["class"]


def test_one_page_shows_no_pager():
    request = RequestFactory().get("/admin/read/")
    page_obj = Paginator(range(10), 50).get_page(1)
    assert render_to_string(PAGER, {"page_obj": page_obj}, request=request).strip() == ""
