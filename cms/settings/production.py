import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names in production.")

# In-process tasks are only the embedded default of `make run`: production hands work to Redis workers.
if not CELERY_BROKER_URL:  # noqa: F405
    raise ImproperlyConfigured("CELERY_BROKER_URL must point at the Redis broker in production.")

CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
# HTTPS, secure by default: the proxy terminates TLS and says so in X-Forwarded-Proto; a plain-HTTP
# request is redirected (but /healthz, which the proxy checks over HTTP), and browsers are told to use
# HTTPS only (HSTS, one year, subdomains, preload list). Each can be turned down from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") != "0"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") != "0"
SECURE_HSTS_PRELOAD = os.environ.get("DJANGO_SECURE_HSTS_PRELOAD", "1") != "0"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP server the workers send through (Django's defaults: localhost:25, no login).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"

# Static files: collectstatic writes hashed, compressed copies (gzip, brotli) into STATIC_ROOT and
# WhiteNoise serves them from each app server, hashed names cached for a year. It comes right after
# SecurityMiddleware, so a stylesheet never touches the session, locale or page cache.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)

# Persistent database connections: a gunicorn worker keeps its connection for a minute instead of
# opening one per request; a connection that died meanwhile is noticed before use, not mid-request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Several processes (web, workers) must see the same page-cache versions: a memory cache would serve
# one process's stale copy after another process changed the page (public/cache.py).
if CACHES["public"]["BACKEND"] != "cms.redis_cache.SharedClientRedisCache":  # noqa: F405
    raise ImproperlyConfigured("CACHE_URL (or a redis:// CELERY_BROKER_URL) must point at Redis in production.")
