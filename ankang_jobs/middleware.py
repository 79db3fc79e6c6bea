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
