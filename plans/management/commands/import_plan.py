from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from organisations.models import Municipality
from plans.planfile import PlanFileInvalid, parse_plan_file
from plans.services import plan_import


class Command(BaseCommand):
    help = "Import a plan file (docs/plan-file-format.md) as a new plan. Saves nothing on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="kommunkod, e.g. 0180")
        parser.add_argument("--by", help="username recorded as the importer in the history")

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist as exc:
            raise CommandError(f"No municipality with kommunkod {options['municipality']}.") from exc
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user {options['by']}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            spec = parse_plan_file(data, municipality)
        except PlanFileInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            self.stderr.write(translation.gettext("Nothing was imported."))
            raise SystemExit(1) from exc
        plan = plan_import(municipality=municipality, spec=spec, by=by)
        self.stdout.write(f"{plan.pk}\t{plan.title}\t{len(spec.all_goals())}")
