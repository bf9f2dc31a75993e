import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "/tmp/welfare-charters-test-media"))  # noqa: F405
# Tasks run in-process in tests even when CI exports CELERY_BROKER_URL; the tests that need the real
# broker and a worker (tests/outbox, marked `services`) start their own.
CELERY_TASK_ALWAYS_EAGER = True
# The page cache in memory, whatever CACHE_URL or CELERY_BROKER_URL CI exports; the test that needs the
# real Redis cache (tests/public/test_cache.py) switches to it itself.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "welfare-tests"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "welfare-tests-public"},
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "welfare-tests-throttle"},
}
WAGTAILFRONTENDCACHE = {}
