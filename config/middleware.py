from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Tell browsers and proxies never to keep a copy of any page Haven renders.

    A woman may be using a shared phone: the Back button, the history and the cache must not
    show what she read or typed (DESIGN.md section 3, rule 2). Staff pages hold case data, so
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
