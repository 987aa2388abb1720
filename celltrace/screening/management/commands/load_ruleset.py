"""Load a contraindication rule set from a JSON file as a new version."""

from django.core.management.base import BaseCommand, CommandError

from celltrace.refusal import Refused
from celltrace.screening.loading import load_ruleset_file


class Command(BaseCommand):
    help = "Load a rule set JSON file (see rulesets/starting.json) as a new draft version."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--publish", action="store_true", help="Publish it: new screenings use it at once"
        )

    def handle(self, *args, path, publish, **options):
        try:
            row = load_ruleset_file(path, publish=publish)
        except Refused as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Loaded {row}.")
