"""An operator sets up identity providers with manage.py identity_provider."""

import io

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from signin.models import IdentityProvider


def run(*args, **env):
    out = io.StringIO()
    call_command("identity_provider", *args, stdout=out)
    return out.getvalue()


OIDC = [
    "oidc", "--municipality", "0180", "--id", "stockholm-entra", "--label", "Logga in med Stockholms stads konto",
    "--domain", "stockholm.se", "--server-url", "https://login.example.se/tenant/v2.0", "--client-id", "abc",
    "--secret-env", "TEST_OIDC_SECRET",
]  # fmt: skip


def test_an_oidc_provider_is_added_and_shown_on_the_sign_in_page(world, monkeypatch):
    monkeypatch.setenv("TEST_OIDC_SECRET", "s3cret")
    assert "Lade till stockholm-entra för Stockholms stad." in run(*OIDC)
    app = SocialApp.objects.get(provider_id="stockholm-entra")
    assert (app.provider, app.client_id, app.secret) == ("openid_connect", "abc", "s3cret")
    assert app.settings == {"server_url": "https://login.example.se/tenant/v2.0"}
    assert app.identity_provider.email_domains == ["stockholm.se"]
    page = Client().get(reverse("login")).content.decode()
    assert "Logga in med Stockholms stads konto" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "stockholm-entra"}) in page
    # Running it again changes the same provider.
    assert "Ändrade stockholm-entra" in run(*OIDC[:-4], "--client-id", "def", "--secret-env", "TEST_OIDC_SECRET")
    assert SocialApp.objects.get(provider_id="stockholm-entra").client_id == "def"
    assert IdentityProvider.objects.count() == 1
    assert "stockholm-entra\tOIDC\t0180" in run("list")
    assert "Tog bort stockholm-entra." in run("remove", "--id", "stockholm-entra")
    assert not IdentityProvider.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--server-url": "http://login.example.se"}, "ange en https-adress"),
        ({"--municipality": "9998"}, "ingen kommun har koden"),
        ({"--id": "Stockholm Entra"}, "använd små bokstäver"),
        ({"--domain": "@stockholm"}, "är ingen e-postdomän"),
        ({"--secret-env": "NO_SUCH_VARIABLE_HERE"}, "är tom eller saknas"),
    ],
)
def test_bad_settings_are_refused_in_swedish_and_nothing_is_saved(world, monkeypatch, change, message):
    monkeypatch.setenv("TEST_OIDC_SECRET", "s3cret")
    args = list(OIDC)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not SocialApp.objects.exists() and not IdentityProvider.objects.exists()


def test_a_saml_provider_by_its_metadata(world):
    out = run(
        "saml", "--municipality", "0126", "--id", "huddinge-adfs", "--label", "Logga in med Huddinges konto",
        "--domain", "huddinge.se", "--entity-id", "http://adfs.huddinge.se/adfs/services/trust",
        "--metadata-url", "https://adfs.huddinge.se/FederationMetadata/2007-06/FederationMetadata.xml",
    )  # fmt: skip
    assert "Lade till huddinge-adfs för Huddinge kommun." in out
    app = SocialApp.objects.get(provider="saml")
    assert app.client_id == "huddinge-adfs"
    assert app.settings["idp"]["metadata_url"].startswith("https://adfs.huddinge.se/")
    assert app.settings["advanced"]["want_assertion_signed"] is True
    page = Client().get(reverse("login")).content.decode()
    assert reverse("saml_login", kwargs={"organization_slug": "huddinge-adfs"}) in page
    with pytest.raises(CommandError, match="Ange --metadata-url"):
        run("saml", "--municipality", "0126", "--id", "x-adfs", "--label", "X", "--domain", "huddinge.se",
            "--entity-id", "e")  # fmt: skip
