"""A small fake of the GOV.UK Notify API for tests, on 127.0.0.1 over real HTTP.

It checks the ``Authorization: Bearer <JWT>`` header the way Notify does (HS256, ``iss`` is
the service id, signed with the API key's secret, ``iat`` within 30 seconds), takes
``POST /v2/notifications/sms`` and ``/email`` (kept in ``messages``) and answers
``GET /v2/notifications?reference=`` and ``GET /v2/notifications/<id>`` with bodies shaped
like Notify's. Tests can script the next answers (``fail_next(429, 500)``) and make a send
hang after it was recorded (``hang_on_send(3)``, then ``release()``), as if the provider
took the message and the sender died before hearing back. Given ``per_minute_limit`` (or
with it set later), it refuses sends beyond Notify's rate limit as Notify does: 429, for
every send past the limit in the last 60 seconds, counted when each arrived.

Use the ``fake_notify`` fixture: it starts the server and points the Notify settings at it.
Import it in a test module as ``from tests.support.fake_notify import fake_notify_fixture``.
"""

import json
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

# Notify's own bound on a token's age or skew (notifications_python_client.authentication).
TOKEN_BOUND_SECONDS = 30

ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    401: ("AuthError", "Unauthorized: authentication token must be provided"),
    403: ("AuthError", "Invalid token: API key not found"),
    404: ("NoResultFound", "No result found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
    502: ("BadGateway", "Bad gateway"),
    503: ("ServiceUnavailable", "Service unavailable"),
}
HANG = "hang"  # a scripted action: record the message, then answer only once released


def error_body(status: int, message: str | None = None, error: str | None = None) -> dict:
    default_error, default_message = ERRORS.get(status, ("Exception", "Error"))
    return {
        "status_code": status,
        "errors": [{"error": error or default_error, "message": message or default_message}],
    }


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@dataclass
class Sent:
    """One message Notify accepted."""

    id: str
    type: str  # "sms" or "email"
    to: str
    template_id: str
    personalisation: dict
    reference: str | None
    body: str
    subject: str | None
    request: dict  # the JSON body as received
    created_at: str = field(default_factory=_now_iso)
    status: str = "sending"  # what a look-up answers; set_status() moves it on

    @property
    def sms_sender_id(self):
        return self.request.get("sms_sender_id")

    @property
    def email_reply_to_id(self):
        return self.request.get("email_reply_to_id")


@dataclass
class Template:
    type: str
    body: str
    subject: str | None = None


class FakeNotify:
    """The fake server. ``messages`` holds what was accepted, ``requests`` every request
    that passed authentication (method, path, reference, status answered)."""

    def __init__(
        self,
        *,
        service_id: str | None = None,
        secret: str | None = None,
        per_minute_limit: int | None = None,
    ):
        self.service_id = service_id or str(uuid.uuid4())
        self.secret = secret or str(uuid.uuid4())
        self.api_key = f"haven_test-{self.service_id}-{self.secret}"
        self.sms_template_id = str(uuid.uuid4())
        self.email_template_id = str(uuid.uuid4())
        # Like the templates we keep at Notify: the wording is all ours.
        self.templates = {
            self.sms_template_id: Template("sms", "((body))"),
            self.email_template_id: Template("email", "((body))", "((subject))"),
        }
        # Notify's rate limit, if given: sends beyond it in any 60 seconds are refused (429).
        self.per_minute_limit = per_minute_limit
        self._send_moments: deque[float] = deque()
        self.messages: list[Sent] = []
        self.requests: list[tuple[str, str, str | None, int]] = []
        self.refused_auth = 0
        self.hanging = threading.Event()  # set while a send hangs (after it was recorded)
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._script = {"send": deque(), "lookup": deque()}
        self._server = None
        self._thread = None

    # --- delivery receipts -------------------------------------------------------------
    def set_status(self, sent: "Sent", status: str) -> None:
        """What Notify now says became of a message ("delivered", "permanent-failure"...)."""
        with self._lock:
            sent.status = status

    def call_back(self, url: str, token: str, sent: "Sent", status: str) -> int:
        """POST Notify's delivery-status callback for ``sent`` to ``url``, as Notify does
        (JSON, with the service's bearer token); returns the HTTP status answered."""
        self.set_status(sent, status)
        body = json.dumps(
            {
                "id": sent.id, "reference": sent.reference, "to": sent.to, "status": status,
                "created_at": sent.created_at, "completed_at": _now_iso(),
                "sent_at": sent.created_at, "notification_type": sent.type,
                "template_id": sent.template_id, "template_version": 1,
            }
        ).encode()  # fmt: skip
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        return requests.post(url, data=body, headers=headers, timeout=10).status_code

    # --- life cycle ----------------------------------------------------------------------
    def start(self) -> "FakeNotify":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict:
        """Django settings (and environment variables, for a worker process) using it."""
        return {
            "NOTIFY_API_KEY": self.api_key,
            "NOTIFY_BASE_URL": self.url,
            "NOTIFY_SMS_TEMPLATE_ID": self.sms_template_id,
            "NOTIFY_EMAIL_TEMPLATE_ID": self.email_template_id,
            "MESSAGES_SMS_BACKEND": "notify",
            "MESSAGES_EMAIL_BACKEND": "notify",
        }

    # --- scripting -----------------------------------------------------------------------
    def script(self, kind: str, *actions) -> None:
        """Queue how the next ``kind`` ("send" or "lookup") requests are answered: None
        (normally), an HTTP status (an error, Notify-shaped; a send is not recorded) or
        HANG (sends only: recorded, then no answer until ``release()``)."""
        with self._lock:
            self._script[kind].extend(actions)

    def fail_next(self, *statuses: int) -> None:
        self.script("send", *statuses)

    def hang_on_send(self, n: int) -> None:
        """The n-th send from now is recorded and then hangs until ``release()``."""
        self._released.clear()
        self.script("send", *([None] * (n - 1)), HANG)

    def release(self) -> None:
        self._released.set()

    # --- what it saw ---------------------------------------------------------------------
    def references(self) -> Counter:
        with self._lock:
            return Counter(message.reference for message in self.messages)

    def find(self, reference: str) -> list[Sent]:
        with self._lock:
            return [message for message in self.messages if message.reference == reference]

    def send_attempts(self, reference: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for method, path, ref, _status in self.requests
                if method == "POST" and (reference is None or ref == reference)
            )

    def lookups(self) -> list[str | None]:
        with self._lock:
            return [ref for method, _path, ref, _status in self.requests if method == "GET"]

    # --- used by the handler -------------------------------------------------------------
    def _next_action(self, kind: str):
        with self._lock:
            return self._script[kind].popleft() if self._script[kind] else None

    def _check_token(self, header: str | None) -> tuple[int, dict] | None:
        """None if the request is authorised, else Notify's error answer."""
        if not header or not header.startswith("Bearer "):
            return 401, error_body(401)
        token = header.removeprefix("Bearer ").strip()
        try:
            claims = jwt.decode(
                token,
                key=self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.InvalidSignatureError:
            return 403, error_body(403, "Invalid token: signature, api token not found")
        except jwt.PyJWTError as error:
            return 403, error_body(403, f"Invalid token: {error}")
        if claims["iss"] != self.service_id:
            return 403, error_body(403, "Invalid token: service not found")
        if abs(time.time() - int(claims["iat"])) > TOKEN_BOUND_SECONDS:
            return 403, error_body(
                403, "Error: Your system clock must be accurate to within 30 seconds"
            )
        return None

    def _over_rate_limit(self) -> bool:
        """Counts this send against the limit, as Notify does (every send request in the
        last 60 seconds, by the time it arrived); True if it is one too many."""
        if self.per_minute_limit is None:
            return False
        now = time.monotonic()
        with self._lock:
            while self._send_moments and self._send_moments[0] <= now - 60:
                self._send_moments.popleft()
            self._send_moments.append(now)
            return len(self._send_moments) > self.per_minute_limit

    def _accept(self, kind: str, data: dict) -> tuple[int, dict | Sent]:
        """Validate a send like Notify does; returns (201, Sent) or an error answer."""
        address_field = "phone_number" if kind == "sms" else "email_address"
        for name in (address_field, "template_id"):
            if not data.get(name):
                return 400, error_body(400, f"{name} is a required property", "ValidationError")
        if not _is_uuid(data["template_id"]):
            return 400, error_body(400, "template_id is not a valid UUID", "ValidationError")
        for name in ("sms_sender_id", "email_reply_to_id"):
            if name in data and not _is_uuid(data[name]):
                return 400, error_body(400, f"{name} is not a valid UUID", "ValidationError")
        template = self.templates.get(data["template_id"])
        if template is None:
            return 400, error_body(400, "Template not found")
        if template.type != kind:
            return 400, error_body(
                400, f"{template.type} template is not suitable for {kind} notification"
            )
        personalisation = data.get("personalisation") or {}
        rendered = []
        for text in (template.body, template.subject):
            if text is None:
                rendered.append(None)
                continue
            for key in ("body", "subject"):
                placeholder = f"(({key}))"
                if placeholder in text:
                    if key not in personalisation:
                        return 400, error_body(400, f"Missing personalisation: {key}")
                    text = text.replace(placeholder, str(personalisation[key]))
            rendered.append(text)
        return 201, Sent(
            id=str(uuid.uuid4()),
            type=kind,
            to=data[address_field],
            template_id=data["template_id"],
            personalisation=personalisation,
            reference=data.get("reference"),
            body=rendered[0],
            subject=rendered[1],
            request=data,
        )

    def _created(self, sent: Sent) -> dict:
        content = {"body": sent.body}
        if sent.type == "sms":
            content["from_number"] = "Appointments"
        else:
            content.update(
                subject=sent.subject,
                from_email="appointments@notifications.service.gov.uk",
                one_click_unsubscribe_url=None,
            )
        return {
            "id": sent.id,
            "reference": sent.reference,
            "content": content,
            "uri": f"{self.url}/v2/notifications/{sent.id}",
            "template": self._template(sent),
            "scheduled_for": None,
        }

    def _template(self, sent: Sent) -> dict:
        return {
            "id": sent.template_id,
            "version": 1,
            "uri": f"{self.url}/services/{self.service_id}/templates/{sent.template_id}",
        }

    def _notification(self, sent: Sent) -> dict:
        return {
            "id": sent.id,
            "reference": sent.reference,
            "email_address": sent.to if sent.type == "email" else None,
            "phone_number": sent.to if sent.type == "sms" else None,
            "line_1": None,
            "line_2": None,
            "line_3": None,
            "line_4": None,
            "line_5": None,
            "line_6": None,
            "postcode": None,
            "postage": None,
            "type": sent.type,
            "status": sent.status,
            "template": self._template(sent),
            "body": sent.body,
            "subject": sent.subject,
            "created_at": sent.created_at,
            "created_by_name": None,
            "sent_at": sent.created_at,
            "completed_at": None,
            "scheduled_for": None,
            "one_click_unsubscribe_url": None,
            "is_cost_data_ready": False,
            "cost_in_pounds": None,
            "cost_details": {},
        }


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeNotify/1.0"

    def log_message(self, format, *args):
        pass

    @property
    def fake(self) -> FakeNotify:
        return self.server.fake

    def _answer(self, status: int, body: dict) -> None:
        payload = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client went away (a killed worker, a timed-out request)

    def _log(self, method: str, path: str, reference, status: int) -> None:
        with self.fake._lock:
            self.fake.requests.append((method, path, reference, status))

    def do_POST(self):
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        refused = self.fake._check_token(self.headers.get("Authorization"))
        if refused:
            with self.fake._lock:
                self.fake.refused_auth += 1
            return self._answer(*refused)
        kinds = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}
        if path not in kinds:
            return self._answer(404, error_body(404, "The requested URL was not found"))
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return self._answer(400, error_body(400, "Invalid JSON supplied", "BadRequestError"))
        reference = data.get("reference")
        if self.fake._over_rate_limit():
            self._log("POST", path, reference, 429)
            return self._answer(429, error_body(429))
        action = self.fake._next_action("send")
        if isinstance(action, int):
            self._log("POST", path, reference, action)
            return self._answer(action, error_body(action))
        status, result = self.fake._accept(kinds[path], data)
        self._log("POST", path, reference, status)
        if status != 201:
            return self._answer(status, result)
        with self.fake._lock:
            self.fake.messages.append(result)
        if action == HANG:
            self.fake.hanging.set()
            self.fake._released.wait(timeout=300)
        return self._answer(201, self.fake._created(result))

    def do_GET(self):
        parts = urlsplit(self.path)
        refused = self.fake._check_token(self.headers.get("Authorization"))
        if refused:
            with self.fake._lock:
                self.fake.refused_auth += 1
            return self._answer(*refused)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        reference = query.get("reference")
        action = self.fake._next_action("lookup")
        if isinstance(action, int):
            self._log("GET", parts.path, reference, action)
            return self._answer(action, error_body(action))
        with self.fake._lock:
            messages = list(reversed(self.fake.messages))  # newest first, like Notify
        if parts.path == "/v2/notifications":
            found = [
                message
                for message in messages
                if (reference is None or message.reference == reference)
                and query.get("template_type") in (None, message.type)
            ]
            self._log("GET", parts.path, reference, 200)
            links = {"current": f"{self.fake.url}{self.path}"}
            if found:
                links["next"] = f"{self.fake.url}/v2/notifications?older_than={found[-1].id}" + (
                    f"&reference={reference}" if reference else ""
                )
            return self._answer(
                200,
                {"notifications": [self.fake._notification(m) for m in found], "links": links},
            )
        if parts.path.startswith("/v2/notifications/"):
            wanted = parts.path.removeprefix("/v2/notifications/")
            self._log("GET", parts.path, reference, 200)
            for message in messages:
                if message.id == wanted:
                    return self._answer(200, self.fake._notification(message))
            return self._answer(404, error_body(404))
        return self._answer(404, error_body(404, "The requested URL was not found"))


@pytest.fixture(name="fake_notify")
def fake_notify_fixture(settings):
    """A running FakeNotify, with Django's Notify settings pointing at it."""
    server = FakeNotify().start()
    try:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.NOTIFY_SMS_SENDER_ID = ""
        settings.NOTIFY_EMAIL_REPLY_TO_ID = ""
        settings.NOTIFY_TIMEOUT_SECONDS = 10
        yield server
    finally:
        server.stop()
