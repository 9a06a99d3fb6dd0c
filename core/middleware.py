"""Middleware of Cairn's own."""

from . import health

HEALTH_VIEWS = {"/healthz": health.healthz, "/readyz": health.readyz}


class HealthCheckMiddleware:
    """Answer health checks before host validation, HTTPS redirects and sessions.

    Load balancers probe instances by IP address over plain HTTP, which ``ALLOWED_HOSTS`` and
    ``SECURE_SSL_REDIRECT`` would otherwise refuse. The checks reveal nothing and change nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            response = view(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
