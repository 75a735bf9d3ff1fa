"""Make the provider's database, register Inkludera's test server as its one
confidential client, and serve (runserver without the reloader: one process, so one
signing key and one behaviour switch)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Serve the test OpenID Connect provider (tests only)."

    def add_arguments(self, parser):
        parser.add_argument("addrport")
        parser.add_argument("--redirect-uri", action="append", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)

    def handle(self, *args, addrport, redirect_uri, client_id, client_secret, **options):
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        Application.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": "Inkludera (tests)",
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(redirect_uri),
                "client_secret": client_secret,
                "skip_authorization": True,
                "algorithm": Application.RS256_ALGORITHM,
            },
        )
        call_command("runserver", addrport, use_reloader=False, use_threading=True, skip_checks=True)
