import logging

from rest_framework.throttling import SimpleRateThrottle

from kernel.addresses import client_ip

log = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    """Per API client (or per signed-in user). If the cache (Redis) is down the request goes
    through and the failure is logged: losing a county's data is worse than extra load."""

    scope = "client"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"user-{request.user.pk}"}

    def get_ident(self, request):
        return client_ip(request)  # an anonymous caller: its address, by the platform's one rule

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's own errors differ by backend
            log.warning("rate limiting skipped: the cache is unavailable", exc_info=True)
            return True
