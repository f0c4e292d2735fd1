from django import template
from django.urls import get_script_prefix
from django.utils.translation import get_language

from core.languages import language_links

register = template.Library()


@register.simple_tag(takes_context=True)
def public_languages(context) -> list[dict]:
    """The language switcher's entries for the page being drawn (core.languages), each
    with ``url``: this page in that language."""
    request = context.get("request")
    if request is None:
        return []
    script_prefix = get_script_prefix().rstrip("/")
    links = language_links(request.path_info, get_language())
    for link in links:
        link["url"] = script_prefix + link["path"]
    return links
