"""Production: PostgreSQL, Redis, SMTP and HTTPS, all from the environment.

Refuses to start without a real ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL``.
"""

import importlib.util

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    INSTALLED_APPS,
    REDIS_URL,
    SECRET_KEY,
    SITE_URL,
    env_bool,
    env_int,
    env_str,
)

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Set DATABASE_URL to a PostgreSQL database (postgres://...).")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL to the Redis server (redis://...).")
if not SITE_URL.startswith("https://"):
    # Invitation links are built from it: without it every invitation would point nowhere.
    raise ImproperlyConfigured("Set SITE_URL to Cairn's public https:// address.")

ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# The demo (seed_demo and its fictional schools) is not part of a production image; a
# demonstration server built with it may ask for it.
if not env_bool("DEMO_DATA", False):
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "demo"]
elif importlib.util.find_spec("demo") is None:
    raise ImproperlyConfigured("DEMO_DATA is on, but this installation has no demo app.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips it from clients).
if env_bool("BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Every request arrives from the proxy's address, so rate limits must count the client's:
    # the TRUSTED_PROXY_COUNT-th address from the right of X-Forwarded-For, which our outermost
    # proxy appended. Otherwise ten failed sign-ins from anyone would pause everyone's.
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "publications": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
# Published reviews' PDFs in S3-compatible object storage (install the s3 extra, django-storages;
# credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): see the README.
if PUBLICATIONS_BUCKET := env_str("PUBLICATIONS_BUCKET"):
    STORAGES["publications"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PUBLICATIONS_BUCKET,
            "endpoint_url": env_str("PUBLICATIONS_ENDPOINT_URL"),
            "region_name": env_str("PUBLICATIONS_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
CAIRN_REQUIRE_MFA = env_bool("REQUIRE_MFA", True)
