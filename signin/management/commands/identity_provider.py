"""Set up a municipality's identity provider (an operator's task; docs/sign-in.md).

    manage.py identity_provider list
    manage.py identity_provider oidc --municipality 0180 --id stockholm-entra \\
        --label "Logga in med Stockholms stads konto" --domain stockholm.se \\
        --server-url https://login.microsoftonline.com/<tenant>/v2.0 --client-id <id> --secret-env OIDC_SECRET
    manage.py identity_provider saml --municipality 0126 --id huddinge-adfs --label "…" --domain huddinge.se \\
        --metadata-url https://adfs.huddinge.se/FederationMetadata/2007-06/FederationMetadata.xml \\
        --entity-id http://adfs.huddinge.se/adfs/services/trust
    manage.py identity_provider remove --id stockholm-entra

The client secret is read from the environment variable named by --secret-env (never
from the command line, which other users of the machine can see). Running oidc or saml
again with the same --id changes that provider.
"""

from __future__ import annotations

import os
import re

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import Municipality
from signin.models import IdentityProvider

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")
SAML_ATTRIBUTES = {
    # A stable id that is never given to someone else (not the e-mail address, never the
    # personal identity number); without one, the NameID (ask for a persistent one).
    "uid": [
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "urn:oasis:names:tc:SAML:attribute:pairwise-id",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",  # eduPersonPrincipalName
    ],
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "mail",
    ],
    "first_name": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42"],
    "last_name": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4"],
}


def https_url(value: str, option: str) -> str:
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError as exc:
        raise CommandError(
            _("%(option)s: give an https address, not %(value)r.") % {"option": option, "value": value}
        ) from exc
    return value


class Command(BaseCommand):
    help = "Lists, adds, changes or removes a municipality's identity provider (OpenID Connect or SAML 2.0)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="List the identity providers.")
        remove = sub.add_parser("remove", help="Remove an identity provider (its linked identities go with it).")
        remove.add_argument("--id", required=True)
        for kind in ("oidc", "saml"):
            p = sub.add_parser(kind, help=f"Add or change an {kind.upper()} identity provider.")
            p.add_argument("--municipality", required=True, help="The municipality's code (kommunkod).")
            p.add_argument("--id", required=True, help="A short id in the addresses, e.g. stockholm-entra.")
            p.add_argument("--label", required=True, help="The text of the button on the sign-in page.")
            p.add_argument("--domain", action="append", required=True, help="An e-mail domain it may vouch for.")
            if kind == "oidc":
                p.add_argument("--server-url", required=True, help="The issuer (discovery is read below it).")
                p.add_argument("--client-id", required=True)
                p.add_argument("--secret-env", required=True, help="The environment variable holding the secret.")
            else:
                p.add_argument("--entity-id", required=True, help="The identity provider's entity id.")
                p.add_argument("--metadata-url", help="Its metadata (or give --sso-url and --certificate-file).")
                p.add_argument("--sso-url")
                p.add_argument("--certificate-file", help="Its signing certificate (PEM).")

    def handle(self, *args, action, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if action == "list":
            for idp in IdentityProvider.objects.select_related("app", "municipality"):
                kind = "OIDC" if idp.app.provider == "openid_connect" else "SAML"
                domains = ", ".join(idp.email_domains)
                self.stdout.write(f"{idp.app.provider_id}\t{kind}\t{idp.municipality.code}\t{idp.label}\t{domains}")
            return
        if action == "remove":
            deleted, _by_model = SocialApp.objects.filter(provider_id=options["id"]).delete()
            if not deleted:
                raise CommandError(_("There is no identity provider with the id %(id)r.") % {"id": options["id"]})
            self.stdout.write(_("Removed %(id)s.") % {"id": options["id"]})
            return
        ident = options["id"]
        if not ID_PATTERN.match(ident):
            raise CommandError(_("--id: use lower-case letters, digits and hyphens (2–61 characters)."))
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist as exc:
            raise CommandError(
                _("--municipality: no municipality has the code %(code)r.") % {"code": options["municipality"]}
            ) from exc
        domains = [d.strip().lower() for d in options["domain"]]
        if action == "oidc":
            secret = os.environ.get(options["secret_env"], "")
            if not secret:
                raise CommandError(
                    _("--secret-env: the environment variable %(name)s is empty or not set.")
                    % {"name": options["secret_env"]}
                )
            app_fields = {
                "provider": "openid_connect",
                "name": options["label"],
                "client_id": options["client_id"],
                "secret": secret,
                "settings": {"server_url": https_url(options["server_url"], "--server-url")},
            }
        else:
            idp = {"entity_id": options["entity_id"]}
            if options["metadata_url"]:
                idp["metadata_url"] = https_url(options["metadata_url"], "--metadata-url")
            elif options["sso_url"] and options["certificate_file"]:
                idp["sso_url"] = https_url(options["sso_url"], "--sso-url")
                try:
                    with open(options["certificate_file"], encoding="ascii") as f:
                        idp["x509cert"] = f.read()
                except (OSError, UnicodeDecodeError) as exc:
                    raise CommandError(
                        _("--certificate-file: the file could not be read (%(error)s).") % {"error": exc}
                    ) from exc
            else:
                raise CommandError(_("Give --metadata-url, or both --sso-url and --certificate-file."))
            app_fields = {
                "provider": "saml",
                "name": options["label"],
                "client_id": ident,  # allauth's SAML addresses name the app by it
                "secret": "",
                "settings": {
                    "idp": idp,
                    "attribute_mapping": SAML_ATTRIBUTES,
                    "advanced": {
                        "want_assertion_signed": True,
                        "want_message_signed": False,
                        "reject_idp_initiated_sso": True,
                    },
                },
            }
        with transaction.atomic():
            app, created = SocialApp.objects.update_or_create(provider_id=ident, defaults=app_fields)
            provider = IdentityProvider(
                municipality=municipality, app=app, label=options["label"], email_domains=domains
            )
            existing = IdentityProvider.objects.filter(app=app).first()
            if existing:
                provider.pk = existing.pk
            try:
                provider.full_clean(validate_unique=False)
            except ValidationError as exc:
                raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
            provider.save()
        message = _("Added %(id)s for %(municipality)s.") if created else _("Changed %(id)s for %(municipality)s.")
        self.stdout.write(message % {"id": ident, "municipality": municipality.name})
