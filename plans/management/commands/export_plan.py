from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import Municipality
from plans.models import Plan
from plans.planfile import dump_plan
from plans.selectors import current_plan


class Command(BaseCommand):
    help = "Write a plan as a plan file (YAML) on stdout; without --plan, the municipality's chosen current plan."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="kommunkod, e.g. 0180")
        parser.add_argument("--plan", type=int, help="the plan's id (see the plan page's address)")

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist as exc:
            raise CommandError(
                _("No municipality has the municipality code %(code)s.") % {"code": options["municipality"]}
            ) from exc
        if options["plan"] is not None:
            plan = Plan.objects.filter(municipality=municipality, pk=options["plan"]).first()
            if plan is None:
                raise CommandError(
                    _("%(municipality)s has no plan with id %(id)d.")
                    % {"municipality": municipality.name, "id": options["plan"]}
                )
        else:
            plan = current_plan(municipality)
            if plan is None:
                raise CommandError(
                    _("%(municipality)s has no current plan; name the plan with --plan.")
                    % {"municipality": municipality.name}
                )
        self.stdout.write(dump_plan(plan), ending="")
