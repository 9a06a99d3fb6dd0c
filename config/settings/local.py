"""Local development: the embedded default, debug pages, email printed to the console."""

from .base import *  # noqa: F403
from .base import env_bool, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-local-development-key-not-for-production-use")
CAIRN_EMAIL_DELIVERY_BACKEND = env_str(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Serve static files straight from the source folders; collectstatic is for production.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The national-size dataset and the benchmarks (`seed_scale`, `make bench`): not in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
