"""Error pages a person can meet: friendly, in her language, and drawn without the database
(it may be what failed). Django's own views draw 400, 403, 404 and the CSRF failure from the
templates of those names; a failed request is ours (``handler500``): when the database did
not answer, she is told so with a 503 and asked to try again in a few minutes."""

import sys

from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

from config.context_processors import safety

DATABASE_FAILURES = (DatabaseError, InterfaceError)


def database_failed(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, DATABASE_FAILURES):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    context = safety(request)
    if database_failed(sys.exc_info()[1]):
        page = loader.get_template("503.html").render(context)
        return HttpResponse(page, status=503, headers={"Retry-After": "120"})
    return HttpResponseServerError(loader.get_template(template_name).render(context))
