"""Values every template can use."""

from django.conf import settings


def site(request):
    return {
        "SERVICE_NAME": "Cairn",
        "DEBUG": settings.DEBUG,
    }
