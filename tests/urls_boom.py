"""The platform's URLs plus one that fails, for the 500 page's test."""

from django.urls import path

from ankang_jobs.urls import handler403, handler404, handler500  # noqa: F401
from ankang_jobs.urls import urlpatterns as platform


def boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", boom), *platform]
