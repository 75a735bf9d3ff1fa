from django.core.management.base import BaseCommand

from surveys.services import close_ended_surveys


class Command(BaseCommand):
    help = "Close the open surveys whose last day has passed (their answers are then stored in random order)."

    def handle(self, *args, **options):
        closed = close_ended_surveys()
        self.stdout.write(f"{closed} survey(s) closed.")
