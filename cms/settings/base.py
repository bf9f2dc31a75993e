"""Settings shared by every environment. Values that differ per machine come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CMS_DIR = BASE_DIR / "cms"

INSTALLED_APPS = [
    # The project's layers, foundation first (README, "Map"; enforced by import-linter).
    "core",
    "networks",
    "people",
    "funds",
    "reconciliation",
    "pages",
    "workflows",
    "registry",
    "documents",
    "thaisearch",
    "public",
    "outbox",
    "demo",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Failed logins, lockouts and their unlock (people/lockouts.py).
    "axes",
]

MIDDLEWARE = [
    # One time bound for all the hand-overs to the broker after this request's commits (outbox/relay.py).
    "outbox.middleware.HandOverBudgetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so every answer, a cached one too, gets the headers of this request.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # A NUL or bytes that are not UTF-8 in the path, query or form: 400 before anything reads the database.
    "core.input_checks.RefuseMalformedInputMiddleware",
    # Before the session: it must see the cookies and Vary headers the middlewares below add (public/cache.py).
    "public.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a login refused for a lockout into the lockout page (people/lockouts.py).
    "axes.middleware.AxesMiddleware",
    "people.lockouts.PasswordResetThrottleMiddleware",
    # Refuses changes to the roads' workflows in Wagtail's Workflows and Tasks screens (workflows/road.py).
    "workflows.road_admin.RoadAdminGuardMiddleware",
    # Last, so that it sees the exceptions of the admin's workflow views first.
    "workflows.middleware.WorkflowActionErrorMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["core.templatetags.thai_dates"],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# DATABASE_URL selects the database (PostgreSQL in production and CI); the embedded default is SQLite.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (runserver, a worker) share the file: wait for the lock instead of failing.
    # IMMEDIATE takes the write lock at BEGIN, so two concurrent writers (two registrars) queue
    # instead of one failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first: Thai is the default language, English is one click away.
LANGUAGE_CODE = "th"
LANGUAGES = [
    ("th", "ไทย"),
    ("en", "English"),
]
# locale/ is the project catalog (makemessages writes only the first entry); locale_admin/ fills in
# the Wagtail admin strings Wagtail's own Thai catalog lacks. Both take precedence over app catalogs.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_admin"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes and WhiteNoise reads; one copy per app server.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("Community welfare charters")
WAGTAILADMIN_USER_LOGIN_FORM = "cms.admin_forms.LoginForm"  # a translated password label
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public site's address (e.g. "https://welfare.example.go.th") for every absolute URL of the open
# data (registry.csv/json, the API) and the certificates' QR codes; empty: the address of the request.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
# Avatars would be fetched from gravatar.com on every admin page; tambon offices may be offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor would the admin ask releases.wagtail.org for a new version (the Content-Security-Policy refuses it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's database search (SQLite FTS5 / PostgreSQL), with Thai word segmentation: thaisearch/backend.py.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "thaisearch.backend"}}
# Meeting attachments and generated documents are PDFs or images, nothing else.
WAGTAILDOCS_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024  # a scanned set of minutes fits; a larger upload is refused
# The content must be what the extension says (an .exe renamed .pdf is refused): pages/uploads.py.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "pages.uploads.UploadedDocumentForm"
# False: after a request for changes the application resumes at the step that asked for them and then
# moves forward; with True, Wagtail would send the edited text through every earlier step again.
# Reviewers outside the network cannot edit during their step (workflows.models: text_frozen_for_actors).
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
# Our document workflows end with a role-checked decision (registrar, chair); that decision publishes.
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finish.publish_approved_document"

# E-mail
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@welfare-charters.local")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Celery: with a broker URL, tasks go to Redis workers; without one (the embedded default of
# `make run`), they run in-process right away.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_BACKEND = None
# A broker that is down must not hold a request: the hand-over fails fast and the outbox relay tries
# again later (outbox/relay.py).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A message handed to the broker and not finished after this many seconds is handed over again.
OUTBOX_REDISPATCH_AFTER = int(os.environ.get("OUTBOX_REDISPATCH_AFTER", str(15 * 60)))
# The hand-over right after a request's commit: each attempt gives up after the timeout (connect, read,
# write), all of a request's together after the budget; the rest waits for the relay (outbox/relay.py).
OUTBOX_HANDOVER_TIMEOUT_SECONDS = float(os.environ.get("OUTBOX_HANDOVER_TIMEOUT_SECONDS", "0.2"))
OUTBOX_HANDOVER_BUDGET_SECONDS = float(os.environ.get("OUTBOX_HANDOVER_BUDGET_SECONDS", "0.5"))
# The patient connection of workers, beat and the periodic relay: one quick reconnection attempt when
# publishing (kombu's default waits 2 s before retrying); a command waits at most socket_timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2, "socket_timeout": 10,
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
    # redis-py pings a connection idle this long before using it, and kombu drops a consumer's BRPOP
    # whose answer is this much overdue (a half-open connection): a worker reconnects within ~21 s.
    "health_check_interval": 10,
    # Redis gives an unacknowledged message to another worker after this long. It must outlast the
    # longest retry countdown a worker holds (32 min, outbox/tasks.py) and the re-hand-over, which
    # comes first because it knows from the database what is done (checked: outbox/checks.py).
    "visibility_timeout": max(60 * 60, 2 * OUTBOX_REDISPATCH_AFTER),
}
# Heartbeats are an AMQP feature (RabbitMQ); with Redis, health_check_interval above does that job.
CELERY_BROKER_HEARTBEAT = 10
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that loses the broker stops its running tasks: they could not be acknowledged anyway and
# will be delivered again (every outbox task is idempotent).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Each worker also reads a queue of its own, so the liveness probe can ask one particular worker
# (`manage.py worker_liveness --worker celery@HOST`).
CELERY_WORKER_DIRECT = True
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "outbox.tasks.relay_outbox", "schedule": 30.0},
    "send-due-reminders": {"task": "outbox.tasks.send_due_reminders", "schedule": 15 * 60.0},
    "prune-outbox": {"task": "outbox.tasks.prune_outbox", "schedule": 24 * 60 * 60.0},
    # The local government's 30 days (workflows/deadlines.py): hourly, so an application moves on
    # within the hour its deadline passes.
    "check-workflow-deadlines": {"task": "workflows.tasks.check_deadlines", "schedule": 60 * 60.0},
}
# Wagtail's own background tasks (django-tasks) go to the Celery workers through the outbox; without
# a broker they run in-process.
TASKS = {"default": {"BACKEND": "outbox.tasks_backend.CeleryOutboxBackend"}}
OUTBOX_KEEP_DAYS = 90

LOGIN_URL = "wagtailadmin_login"

# The public page cache (public/cache.py) has a cache of its own, "public": Redis when CACHE_URL (or
# REDIS_CACHE_URL) is set, or when a Redis broker is (its server, database CACHE_REDIS_DB, 1 by default:
# the web processes and the workers that make PDFs must share it); else local memory, which is right
# only for a single process (`make run`). Wagtail's own small caches stay in local memory ("default"),
# so the site keeps serving, uncached, while Redis is away.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_CACHE_URL", "")
if not CACHE_URL and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    from urllib.parse import urlsplit, urlunsplit

    _broker = urlsplit(CELERY_BROKER_URL)
    CACHE_URL = urlunsplit(_broker._replace(path="/" + os.environ.get("CACHE_REDIS_DB", "1")))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "welfare"}}
if CACHE_URL:
    CACHES["public"] = {
        # Django's RedisCache, with one redis client per pool instead of one per call (cms/redis_cache.py).
        "BACKEND": "cms.redis_cache.SharedClientRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "welfare"),
        # A Redis that does not answer costs a page at most this long, then it is served uncached.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
else:
    CACHES["public"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "welfare-public",
                        "OPTIONS": {"MAX_ENTRIES": 5000}}
PUBLIC_CACHE_ALIAS = "public"
PUBLIC_CACHE_ENABLED = os.environ.get("PUBLIC_CACHE_ENABLED", "1") != "0"
# How long a stored public page stays in the server's cache (it is never stale: changes invalidate it),
# and how long browsers and proxies may keep it (max-age; they revalidate with the ETag after that).
PUBLIC_CACHE_TIMEOUT = int(os.environ.get("PUBLIC_CACHE_TIMEOUT", str(24 * 60 * 60)))
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", "60"))

# A frontend cache (Varnish or any HTTP purger, or Cloudflare) in front of the site, off by default:
# changes purge the affected pages there too (wagtail.contrib.frontend_cache, public/signals.py).
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
        "ZONEID": os.environ["CLOUDFLARE_ZONEID"],
    }
# Thai has no prefix (/), English is under /en/: public/signals.py lists both addresses itself.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# Logins: django-axes counts failed logins (Wagtail's /admin/login/, Django's /django-admin/login/) in the
# database, shared by every app server. After AXES_FAILURE_LIMIT failures within the cool-off, the
# username is locked, and so is the address they came from (whatever usernames it tried), until the
# cool-off has passed without a further try or an administrator unlocks it (admin: Settings, Login
# lockouts; or `manage.py axes_reset_username NAME`, `axes_reset_ip ADDRESS`). people/lockouts.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
AXES_LOCKOUT_CALLABLE = "people.lockouts.lockout_response"
# A success must not wipe the address's count: one valid account would reset a guesser's address.
AXES_RESET_ON_SUCCESS = False
# The client's address (django-ipware). Without a proxy it is REMOTE_ADDR, which the client cannot forge.
# Behind N reverse proxies that each append to X-Forwarded-For (nginx `proxy_add_x_forwarded_for`), set
# REVERSE_PROXY_COUNT=N: the address the outermost proxy saw is taken, N places from the right; a header
# whose chain is longer (forged entries) counts against the proxy's own address. Left at 0 behind a
# proxy, every visitor shares the proxy's address and one lockout locks everybody.
REVERSE_PROXY_COUNT = int(os.environ.get("REVERSE_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = REVERSE_PROXY_COUNT - 1 if REVERSE_PROXY_COUNT else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if REVERSE_PROXY_COUNT else ("REMOTE_ADDR",)
# Password-reset requests (/admin/password_reset/), per address and per e-mail address, counted in the
# "throttle" cache (Redis in production, shared by the app servers). While Redis is away requests pass.
PASSWORD_RESET_RATE_PER_ADDRESS = os.environ.get("PASSWORD_RESET_RATE_PER_ADDRESS", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
RATELIMIT_USE_CACHE = "throttle"
RATELIMIT_FAIL_OPEN = True
if CACHE_URL:
    CACHES["throttle"] = {**CACHES["public"], "KEY_PREFIX": CACHES["public"]["KEY_PREFIX"] + "-throttle"}
else:
    CACHES["throttle"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "welfare-throttle"}

# Content-Security-Policy (django-csp) on every answer, public and admin: scripts, styles, fonts and
# images from this site only, no CDN; the few inline <script>/<style> blocks carry the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# No page of the site needs a camera, microphone, location or payment (django-permissions-policy).
PERMISSIONS_POLICY = {
    "accelerometer": [], "camera": [], "display-capture": [], "geolocation": [], "gyroscope": [],
    "magnetometer": [], "microphone": [], "payment": [], "usb": [],
}
SECURE_REFERRER_POLICY = "same-origin"
