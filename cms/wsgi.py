import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from thaisearch.analysis import index_text

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# Compiled before the first request: the public pages' and the admin login's templates.
WARM_TEMPLATES = [
    "base.html",
    "networks/home_page.html",
    "networks/network_page.html",
    "pages/charter_page.html",
    "wagtailadmin/login.html",
]


def warm_up():
    """Do once, before any request, what the first request would otherwise pay for.

    gunicorn preloads this module in its master process (cms/gunicorn.conf.py), so the workers it forks
    inherit the result: PyThaiNLP's dictionary and tokenizer (1–2 s on the first segmentation), the URL
    configuration with every view module it imports, both languages' catalogs and the main templates.
    """
    index_text("ธรรมนูญเครือข่ายสวัสดิการชุมชน charter")
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reverse("healthz")
            reverse("public:registry")
    for name in WARM_TEMPLATES:
        get_template(name)
    # No database connection may cross the fork: each worker opens its own.
    connections.close_all()


# runserver (DEBUG) restarts on every change: warming up there would only slow it down.
if not settings.DEBUG:
    warm_up()
