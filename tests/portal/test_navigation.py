from django.test import RequestFactory
from django.urls import set_script_prefix

from portal.context_processors import navigation


def test_the_navigation_links_follow_the_prefix_the_site_is_served_under():
    request = RequestFactory().get("/")
    at_root = navigation(request)["nav"]
    set_script_prefix("/portal/")
    try:
        under_prefix = navigation(request)["nav"]
    finally:
        set_script_prefix("/")

    assert (at_root["vendors"], at_root["logout"]) == ("/vendors/", "/accounts/logout/")
    assert under_prefix["vendors"] == "/portal/vendors/"


def test_every_page_links_to_the_main_pages(admin_client):
    html = admin_client.get("/runbooks/").content.decode()

    for link in (
        "/",
        "/timeline/",
        "/vendors/",
        "/checklist/",
        "/activity/",
        "/admin/",
    ):
        assert f'href="{link}"' in html
