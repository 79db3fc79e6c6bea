from django.middleware.locale import LocaleMiddleware


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser on a government PC would show English. Here only the language cookie (set by the
    switch) can move a page away from LANGUAGE_CODE (zh-hans).
    """

    def process_request(self, request):
        # The API is for machines: there Accept-Language: en asks for English messages.
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)


class RejectNulMiddleware:
    """A NUL character (code 0) in a query string or form field is refused with 400 before any
    view runs: PostgreSQL text cannot hold one and psycopg2 refuses to send it, so a filter like
    ``?county=%00`` would otherwise end in a server error. The API answers it in its own format
    (api/views.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest
        from django.utils.translation import gettext as _

        if not request.path.startswith("/api/"):
            fields = list(request.GET.lists())
            if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                     "multipart/form-data"):
                fields += list(request.POST.lists())
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in fields):
                return HttpResponseBadRequest(_("The request contains a NUL character (code 0), which no field can "
                                                "hold."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
