from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def navigation(request):
    # Lazy, so pages that never show the navigation (health checks, errors) cost no query.
    nav = SimpleLazyObject(lambda: navigation_for(request))
    return {"nav": nav}
