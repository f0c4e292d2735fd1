"""Guarding staff pages by permission (DESIGN.md section 5)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def permission_or_404(*permissions: str):
    """A view decorator: signed-out visitors go to sign in; signed-in staff holding none of
    ``permissions`` get 404, so a page they may not use is not revealed to exist."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(request.user.has_perm(permission) for permission in permissions):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
