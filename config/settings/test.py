"""Settings for the test suite.

With ``DATABASE_URL`` set (CI sets it to PostgreSQL) the suite runs there; without it, on SQLite.
Celery runs tasks in-process unless a test starts a real worker.
"""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-secret-key-that-is-only-used-by-the-automated-test-suite"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CAIRN_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off, so each test sees its own view's queries; the page-cache tests turn it on.
FRONT_CACHE = False
PRIVATE_CACHE = False
FRONT_CACHE_LOCAL_SECONDS = 0  # each test reads the generation afresh; the tests of it set it
MEDIA_ROOT = VAR_DIR / "test-media"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so a real worker process started by a test can share it.
    # One file per test process, so that runs side by side, and the pytest-xdist workers of one
    # run, do not share a database (pytest-django also adds each worker's id: ``..._gw0``).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-cairn-{os.getpid()}.sqlite3")
    }
# Serve static files straight from the source folders; collectstatic is for production.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# seed_scale is tested like the rest; production does without the benchmarks app.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
