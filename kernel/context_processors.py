from django.conf import settings


def platform(request):
    """The platform's name and whether this is the demo dataset (every page shows it)."""
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "DEMO_MODE": settings.DEMO_MODE}
