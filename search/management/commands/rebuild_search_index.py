import time

from django.core.management.base import BaseCommand

from organisations.models import Municipality
from search.index import rebuild


class Command(BaseCommand):
    help = "Make the search index again, of every municipality or of those given by kommunkod (docs/search.md)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="kommunkod; all municipalities when none is given")

    def handle(self, *args, codes, **options):
        municipality_ids = None
        if codes:
            municipality_ids = list(Municipality.objects.filter(code__in=codes).values_list("pk", flat=True))
        started, cpu = time.perf_counter(), time.process_time()
        counts = rebuild(municipality_ids=municipality_ids)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if options["verbosity"]:
            made = ", ".join(f"{kind} {n}" for kind, n in counts.items())
            self.stdout.write(f"Search index rebuilt in {seconds:.1f} s ({cpu:.1f} s CPU): {made}.")
