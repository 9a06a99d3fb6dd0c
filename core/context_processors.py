"""Values every template can use."""

from django.conf import settings


def site(request):
    return {
        "SERVICE_NAME": "Cairn",
        "DEBUG": settings.DEBUG,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
    }
