"""Bring the translation catalogues up to date with the code: ``makemessages`` for every
language with the options below, then ``compilemessages``. Run it after changing any
user-facing text, translate what it leaves empty (or marks fuzzy) in locale/*/django.po,
run it again, and commit the .po and .mo files (docs/languages.md).
tests/core/test_translations.py runs makemessages the same way and fails if it would change
anything."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Not scanned: tests, benchmarks and build output hold no text people see.
IGNORED = ["tests", "bench", "staticfiles", "test-artifacts", "node_modules", "*.egg-info"]
MAKEMESSAGES_OPTIONS = {
    "domain": "django",
    # File names without line numbers: a translator can find the text, and an edit
    # elsewhere in a file does not change every catalogue.
    "add_location": "file",
    "no_obsolete": True,
    "ignore_patterns": IGNORED,
    "verbosity": 0,
}


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class Command(BaseCommand):
    help = "Update locale/*/LC_MESSAGES/django.po from the code and compile the .mo files."

    def add_arguments(self, parser):
        parser.add_argument("--no-compile", action="store_true", help="Update the .po files only.")

    def handle(self, *args, **options):
        languages = translated_languages()
        call_command("makemessages", locale=languages, **MAKEMESSAGES_OPTIONS)
        if not options["no_compile"]:
            call_command("compilemessages", locale=languages, verbosity=0)
        self.stdout.write("Updated: " + ", ".join(languages))
