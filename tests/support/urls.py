"""The one walk of the URL configuration that every test sweeping "every page" uses, so a
new page is covered without anyone remembering to add it to a list."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None
    namespace: str | None
    parameters: tuple[str, ...]
    # Every level of the route is a plain path: no parameter and no regular expression, so
    # it can be requested as it stands.
    plain: bool = True

    @property
    def key(self) -> str:
        """How the classification names it: ``namespace:name``, or the route if unnamed."""
        if self.name is None:
            return self.route
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def path(self) -> str:
        return "/" + self.route


def _is_plain(pattern) -> bool:
    text = str(pattern.pattern)
    return not ("<" in text or "(?P" in text or text.startswith("^"))


def all_routes() -> list[Route]:
    """Every URL pattern in the URL configuration, with the innermost namespace it is in and
    the names of every parameter on its way."""

    def walk(patterns, prefix="", namespace=None, parameters=(), plain=True):
        for pattern in patterns:
            names = tuple(pattern.pattern.regex.groupindex)
            route = prefix + str(pattern.pattern)
            still_plain = plain and _is_plain(pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    route,
                    pattern.namespace or namespace,
                    parameters + names,
                    still_plain,
                )
            elif isinstance(pattern, URLPattern):
                yield Route(route, pattern.name, namespace, parameters + names, still_plain)

    return list(walk(get_resolver().url_patterns))


def argument_free_paths() -> list[str]:
    """Every URL that can be requested without filling in an id or a token."""
    return [route.path for route in all_routes() if route.plain]


def url_names(starting_with: str) -> list[str]:
    """The namespaced names (``referrals:case_assign``) that start with ``starting_with``,
    each once."""
    return sorted(
        {route.key for route in all_routes() if route.name and route.key.startswith(starting_with)}
    )
