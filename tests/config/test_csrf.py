"""CSRF protection under Referrer-Policy: no-referrer (browsers then send Origin: null)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = {"login": "nobody@haven.test", "password": "not-a-real-password"}


def csrf_client():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    return client, client.cookies["csrf"].value


def post_login(client, token, **headers):
    return client.post(reverse("account_login"), {**LOGIN, "csrfmiddlewaretoken": token}, **headers)


def test_a_same_origin_form_post_with_a_null_origin_is_accepted():
    client, token = csrf_client()
    response = post_login(client, token, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 200  # the login form again, with "not correct"
    assert "not correct" in response.content.decode()


def test_a_null_origin_from_an_older_browser_without_fetch_metadata_is_accepted():
    client, token = csrf_client()
    assert post_login(client, token, HTTP_ORIGIN="null").status_code == 200


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_a_null_origin_from_another_site_is_refused(site):
    client, token = csrf_client()
    response = post_login(client, token, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE=site)
    assert response.status_code == 403


def test_another_origin_is_refused_even_with_a_valid_token():
    client, token = csrf_client()
    response = post_login(client, token, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_a_post_without_the_token_is_refused_even_from_our_own_pages():
    client, _token = csrf_client()
    response = client.post(
        reverse("account_login"), LOGIN, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 403
