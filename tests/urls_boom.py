"""The platform's URLs plus one that fails, for the 500 page's test."""

from django.urls import path

from ankang_jobs.urls import handler403, handler404, handler500, urlpatterns as platform  # noqa: F401


def boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", boom), *platform]
