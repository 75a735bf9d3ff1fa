from django.core.management.base import BaseCommand, CommandError

from organisations.models import Municipality
from plans.models import Plan
from plans.planfile import dump_plan
from plans.selectors import current_plan


class Command(BaseCommand):
    help = "Write a plan as a plan file (YAML) on stdout; without --plan, the municipality's current plan."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="kommunkod, e.g. 0180")
        parser.add_argument("--plan", type=int, help="the plan's id (see the plan page's address)")

    def handle(self, *args, **options):
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist as exc:
            raise CommandError(f"No municipality with kommunkod {options['municipality']}.") from exc
        if options["plan"] is not None:
            plan = Plan.objects.filter(municipality=municipality, pk=options["plan"]).first()
            if plan is None:
                raise CommandError(f"No plan {options['plan']} in {municipality.name}.")
        else:
            plan = current_plan(municipality)
            if plan is None:
                raise CommandError(f"{municipality.name} has no plan.")
        self.stdout.write(dump_plan(plan), ending="")
