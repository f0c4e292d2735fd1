from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Tell browsers and proxies never to keep a copy of any page Haven renders.

    A woman may be using a shared phone: the Back button, the history and the cache must not
    show what she read or typed (docs/design.md, safety rule 2). Staff pages hold case data, so
    the same rule serves them. Static files are answered by WhiteNoise before this runs and
    stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers["Cache-Control"] = (
            "no-store, no-cache, must-revalidate, private, max-age=0"
        )
        return response


class SameOriginNullOriginMiddleware:
    """Let Django's CSRF protection work with ``Referrer-Policy: no-referrer``.

    Under that policy (docs/design.md, safety rule 2) browsers send ``Origin: null`` with a
    form POST even to the same site, which Django's CsrfViewMiddleware would reject. When the
    browser's Fetch Metadata says the request came from this same origin (``Sec-Fetch-Site``
    cannot be set by page scripts), or is absent (older browsers), we put our own origin in
    its place. A null origin from another site is left as it is and still rejected, and the
    CSRF token must still match the SameSite=Lax cookie. Must come before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") == "same-origin"
        ):
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
