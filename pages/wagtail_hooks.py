from wagtail import hooks

from .dashboard import add_my_network_documents_panel

hooks.register("construct_homepage_panels", add_my_network_documents_panel)
