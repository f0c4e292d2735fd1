"""Her confirm/cancel page, reached from the link in a reminder (no sign-in).

It shows only the date, time and place, never her name or the service's, and no page
title names the service. It is in her preferred language (her referral's). Unknown,
expired and spent links each get a plain page saying what to do. Rate limited per
address: the tokens cannot be guessed, and this keeps it so.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from core.languages import site_language
from sessions_booking.services.booking import answer_by_her_link
from sessions_booking.services.links import LinkState, find_link, state_of

STATUS = {LinkState.UNKNOWN: 404, LinkState.EXPIRED: 410, LinkState.CANCELLED: 200}
SURE = "yes"  # the second answer that really cancels


def _page(request, link, state, *, status=None, **extra):
    # The link is hers, so the page is in the language she chose on her referral (English
    # when the site does not have it, or for a link we cannot find).
    language = site_language(link.booking.referral.preferred_language if link else None)
    with translation.override(language):
        response = render(
            request,
            "sessions_booking/link.html",
            {
                "state": state.value,
                "session": link.booking.session if link else None,
                "confirmed_by_her": bool(link and link.booking.confirmed_by_her_at),
                **extra,
            },
            status=status or STATUS.get(state, 200),
        )
    response["Content-Language"] = language
    return response


@require_http_methods(["GET", "POST"])
def booking_link(request, token):
    if is_ratelimited(
        request, group="booking-link", key="ip", rate=settings.REMINDER_LINK_RATE, increment=True
    ):
        return render(request, "sessions_booking/link.html", {"state": "busy"}, status=429)
    if request.method == "GET":
        link = find_link(token)
        return _page(request, link, state_of(link))
    action = request.POST.get("action")
    if action not in ("confirm", "cancel"):
        link = find_link(token)
        return _page(request, link, state_of(link), status=400, problem="choose")
    if action == "cancel" and request.POST.get("sure") != SURE:
        # One tap on "I cannot come" only asks: a mistaken tap would give her place away.
        link = find_link(token)
        state = state_of(link)
        return _page(request, link, state, asking=state == LinkState.OPEN, sure=SURE)
    link, stopped_by = answer_by_her_link(token=token, action=action)
    if stopped_by is not None:
        return _page(request, link, stopped_by)
    return redirect("sessions_booking:booking_link", token=token)
