"""Which address a request's rate limits count against (core/client_address.py)."""

import pytest
from django.test import RequestFactory

from core.client_address import client_address


@pytest.mark.parametrize(
    ("meta_key", "meta", "expected"),
    [
        ("REMOTE_ADDR", {"REMOTE_ADDR": "192.0.2.1"}, "192.0.2.1"),
        ("REMOTE_ADDR", {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6"},
         "192.0.2.1"),
        # Behind our proxy: the last entry is the one it wrote; earlier ones the client sent.
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"},
         "203.0.113.9"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        ("HTTP_X_FORWARDED_FOR", {"REMOTE_ADDR": "10.0.0.5"}, "10.0.0.5"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "junk", "REMOTE_ADDR": "10.0.0.5"},
         "10.0.0.5"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": " , ", "REMOTE_ADDR": ""},
         "0.0.0.0"),  # noqa: S104 - the shared bucket, never bound to
    ],
)  # fmt: skip
def test_client_address(settings, meta_key, meta, expected):
    settings.CLIENT_ADDRESS_META_KEY = meta_key
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    assert client_address(request) == expected
