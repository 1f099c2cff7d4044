"""Pages and files are never kept by the browser or a proxy: a shared computer's history,
its back button or a cache must not show a participant's record to the next person.

Every response the application computes gets Django's « never cache » headers
(`Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`, and an `Expires`
in the past) plus `Pragma: no-cache` for HTTP/1.0 proxies. Simplest rule that cannot miss a
page: no exception to keep up to date, pages of anonymous visitors included (the login
page carries a CSRF token). Only static files, which WhiteNoise answers before this
middleware, are cached: they hold no data.
"""

from django.utils.cache import add_never_cache_headers

from plie.core.queries import every_parameter


class NotStoredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Pragma"] = "no-cache"
        return response


class QueryGuardMiddleware:
    """Refuses, with a French 400, an address whose parameters carry a hidden character (a
    NUL byte that PostgreSQL would refuse mid-query) or an over-long value, whichever page
    it asks for: the pages check their own parameters further (core/queries.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        every_parameter(request)
        return self.get_response(request)
