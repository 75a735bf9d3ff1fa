from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import Municipality
from plans.planfile import PlanFileInvalid, file_too_large_error, parse_plan_file
from plans.services import PlanExists, plan_import


class Command(BaseCommand):
    help = (
        "Import a plan file (docs/plan-file-format.md) as a new plan. Saves nothing on any error. "
        "A file with the title and period of an existing plan needs --as-new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="kommunkod, e.g. 0180")
        parser.add_argument("--by", help="username recorded as the importer in the history")
        parser.add_argument(
            "--as-new",
            action="store_true",
            help="import even if the municipality has a plan with the same title and period (a second plan)",
        )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist as exc:
            raise CommandError(
                _("No municipality has the municipality code %(code)s.") % {"code": options["municipality"]}
            ) from exc
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(_("No user has the username %(username)s.") % {"username": options["by"]})
        path: Path = options["file"]
        try:
            # The same limit as the upload page; never more than one byte past it is read.
            with path.open("rb") as f:
                data = f.read(settings.PLAN_FILE_MAX_BYTES + 1)
        except OSError as exc:
            # The operating system's reason is in English: say it in Swedish for the usual cases.
            if isinstance(exc, FileNotFoundError):
                reason = _("There is no such file.")
            elif isinstance(exc, IsADirectoryError):
                reason = _("This is a folder, not a file.")
            elif isinstance(exc, PermissionError):
                reason = _("You are not allowed to read the file.")
            else:
                reason = _("The file could not be read (%(error)s).") % {"error": exc.strerror or exc}
            raise CommandError(f"{path}: {reason}") from exc
        try:
            if len(data) > settings.PLAN_FILE_MAX_BYTES:
                raise PlanFileInvalid([file_too_large_error()])
            spec = parse_plan_file(data, municipality)
            plan = plan_import(municipality=municipality, spec=spec, by=by, as_new=options["as_new"])
        except PlanFileInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            self.stderr.write(_("Nothing was imported."))
            raise SystemExit(1) from exc
        except PlanExists as exc:
            self.stderr.write(
                _(
                    "%(path)s: %(municipality)s already has the plan “%(title)s” (id %(id)d) with the same period. "
                    "Importing does not update it but makes a second, separate plan; run again with --as-new "
                    "if that is what you want."
                )
                % {"path": path, "municipality": municipality.name, "title": exc.existing.title, "id": exc.existing.pk}
            )
            self.stderr.write(_("Nothing was imported."))
            raise SystemExit(1) from exc
        self.stdout.write(f"{plan.pk}\t{plan.title}\t{len(spec.all_goals())}")
