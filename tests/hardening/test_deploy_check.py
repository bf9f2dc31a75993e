"""The production protections. `manage.py check --deploy` with the production settings, as `make serve` runs them (the three required
variables, nothing else), finds nothing to warn about; turning a protection down from the environment
is reported, so the check is really looking."""

import os
import subprocess
import sys

from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")

# What `make serve` sets: the production settings and the three required variables.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    # A key as `make serve` suggests one: long and random enough for security.W009.
    "DJANGO_SECRET_KEY": "k3Jx9-Qw_2vLr8ZpT4nYbE6hUoC1sMfG7aD0iKjNcVxWzRtPyQ5eHuB3gS8mLdA",
    "DJANGO_ALLOWED_HOSTS": "charters.example.org",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def deploy_check(**env):
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment = {**inherited, **PRODUCTION, **env}
    return subprocess.run([sys.executable, MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120)


def test_deploy_check_is_clean_with_production_settings():
    done = deploy_check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_turning_https_down_is_reported():
    done = deploy_check(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0")
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout
    assert "security.W008" in done.stderr + done.stdout


def test_security_headers_on_every_answer_a_cached_one_too(client, home):
    """django-csp and the permissions policy sit outside the public page cache: a page served from the
    cache gets this request's headers, and a lockout page, an error page and the admin get them too."""
    first, second = client.get("/"), client.get("/")
    assert second.get("X-Public-Cache") == "hit"
    for response in (first, second, client.get("/no-such-page/"), client.get("/admin/login/")):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
