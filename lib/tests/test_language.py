from django.conf import settings
from django.urls import reverse


def test_swedish_by_default_even_for_an_english_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in page.content.decode()
    assert "Logga in i Inkludera" in page.content.decode()


def test_english_when_chosen(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("login"))
    assert '<html lang="en">' in page.content.decode()
    assert "Sign in to Inkludera" in page.content.decode()
