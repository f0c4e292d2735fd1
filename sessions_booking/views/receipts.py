"""GOV.UK Notify's delivery-status callbacks (https://docs.notifications.service.gov.uk/,
"Callbacks"): a JSON POST for each message that reached a final status, authenticated with
the bearer token set in Notify's settings (NOTIFY_CALLBACK_TOKEN). Anything else is refused
and logged. Not a browser form, so CSRF does not apply; the token is the check."""

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.client_address import client_address
from sessions_booking.services.receipts import record_delivery_status

logger = logging.getLogger(__name__)


def _authorised(request) -> bool:
    expected = f"Bearer {settings.NOTIFY_CALLBACK_TOKEN}".encode()
    given = request.headers.get("Authorization", "").encode()
    return hmac.compare_digest(given, expected)


@csrf_exempt  # a server-to-server callback, checked by its bearer token instead
@require_POST
def delivery_status(request):
    if not settings.NOTIFY_CALLBACK_TOKEN:
        raise Http404  # callbacks are not configured: the worker looks statuses up instead
    if not _authorised(request):
        logger.warning(
            "delivery-status callback refused: bad token from %s", client_address(request)
        )
        return HttpResponse(status=401)
    try:
        receipt = json.loads(request.body)
        provider_reference, status = str(receipt["id"]), str(receipt["status"])
    except (ValueError, KeyError, TypeError):
        logger.warning("delivery-status callback refused: not a Notify receipt")
        return HttpResponse(status=400)
    record_delivery_status(provider_reference=provider_reference, status=status)
    # The same answer whether or not the message was ours or already had a status: nothing
    # about our reminders is revealed, and Notify does not retry.
    return HttpResponse(status=204)
