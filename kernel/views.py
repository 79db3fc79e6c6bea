from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Liveness and database reachability, for the container health check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # the check reports, it does not raise
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def _error_page(request, status: int, title: str, explanation: str):
    """An error page that names the request id (for the log) and nothing internal. Rendered with
    no context processors, so it works when the database does not."""
    from django.template import loader

    from .security_log import request_id_var

    html = loader.get_template("error.html").render({
        "status": status, "title": title, "explanation": explanation,
        "request_id": getattr(request, "request_id", None) or request_id_var.get(),
    })
    return HttpResponse(html, status=status)


def permission_denied(request, exception=None):
    return _error_page(request, 403, _("Access denied"),
                       _("You do not have access to this page. If you think you should, ask the city administrator."))


def page_not_found(request, exception=None):
    return _error_page(request, 404, _("Page not found"), _("There is no such page, or it is not yours to see."))


def server_error(request):
    return _error_page(request, 500, _("Something went wrong"),
                       _("The platform could not complete this request. It has been logged; if it happens again, "
                         "give the request id below to the administrator."))
