"""Create a municipality (the tenant) and its first coordinator, who is e-mailed a
link to choose a password. From then on the coordinator adds people, units and
plans in the application. Refuses, and creates nothing, if the kommunkod is taken."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from organisations.forms import NewMunicipalityForm
from organisations.services import municipality_create
from outbox.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Create a municipality and its first coordinator, who is e-mailed a link to choose a password. "
        "Creates nothing if the municipality code is already used."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod: four digits, e.g. 0180")
        parser.add_argument("name", help='the municipality\'s name, e.g. "Stockholms stad"')
        parser.add_argument("email", help="the first coordinator's e-mail address")
        parser.add_argument("--username", default="", help="the coordinator's username (default: the e-mail address)")
        parser.add_argument("--first-name", default="", help="the coordinator's first name")
        parser.add_argument("--last-name", default="", help="the coordinator's last name")

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        form = NewMunicipalityForm(
            {
                "code": options["code"],
                "name": options["name"],
                "email": options["email"],
                "username": options["username"],
                "first_name": options["first_name"],
                "last_name": options["last_name"],
            }
        )
        if not form.is_valid():
            lines = [
                f"{capfirst(form.fields[field].label)}: {error}" if field in form.fields else error
                for field, errors in form.errors.items()
                for error in errors
            ]
            raise CommandError("\n".join([*lines, _("Nothing was created.")]))
        data = form.cleaned_data
        member = municipality_create(
            code=data["code"], name=data["name"], coordinator_email=data["email"], username=data["username"],
            first_name=data["first_name"], last_name=data["last_name"],
        )  # fmt: skip
        municipality, user = member.municipality, member.user
        self.stdout.write(
            _("Created %(name)s (municipality code %(code)s) with the coordinator %(username)s <%(email)s>.")
            % {"name": municipality.name, "code": municipality.code, "username": user.username, "email": user.email}
        )
        # The invitation was queued with the municipality and sent after the commit (outbox):
        # a mail server that fails leaves it waiting for send_mail_outbox to retry.
        invitation = OutgoingMail.objects.filter(kind=OutgoingMail.Kind.INVITATION, to=user.email).last()
        if invitation is not None and invitation.status == OutgoingMail.Status.SENT:
            self.stdout.write(
                _("An invitation with a link to choose a password was e-mailed to %(email)s.") % {"email": user.email}
            )
            return
        self.stderr.write(
            _(
                "The invitation to %(email)s could not be sent yet (%(error)s); send_mail_outbox tries again. "
                "The coordinator can also ask for a new link under “Forgot your password?” at %(url)s."
            )
            % {
                "email": user.email,
                "error": invitation.last_error if invitation is not None else "—",
                "url": settings.SITE_URL.rstrip("/") + reverse("password_reset"),
            }
        )
