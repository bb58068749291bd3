"""`python manage.py check_plan FILE|-`: check a mobility plan against the regulations.

Exit status: 0 compliant, 1 not compliant, 2 invalid input (then nothing on standard output
and one line per problem on standard error, naming the field).
"""

import errno
import json
import os
import sys
from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from apps.rules import LANGUAGES, InvalidPlan, check_plan, parse_plan, text_report
from apps.rules.messages import PROBLEMS
from apps.rules.published import command_regulations

COMPLIANT, NOT_COMPLIANT, INVALID_INPUT = 0, 1, 2


class Command(BaseCommand):
    help = "Check a mobility plan (a JSON file, or - for standard input) against the regulations."
    # The plan alone is checked: the project's system checks have no say in it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the plan's JSON file, or - to read standard input")
        parser.add_argument("--lang", choices=LANGUAGES, default="fr", help="default: fr")
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=("json", "text"),
            default="json",
            help="json: the contract's output object (default); text: one line per finding",
        )

    def handle(
        self, *args: object, file: str, lang: str, output_format: str, **options: object
    ) -> None:
        self.stderr.style_func = None  # problems are plain lines, without error colouring
        _write_utf8()
        try:
            source = _read_standard_input() if file == "-" else _read_file(file)
        except OSError as error:
            reason = error.strerror or str(error)
            problem = PROBLEMS["unreadable"][lang].format(reason=reason)
            self.stderr.write(f"{_shown_path(file)}: {problem}")
            sys.exit(INVALID_INPUT)
        regulations = command_regulations()
        try:
            plan = parse_plan(source, lang, regulations)
        except InvalidPlan as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            sys.exit(INVALID_INPUT)
        result = check_plan(plan, lang, regulations)
        if output_format == "json":
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text_report(result, lang))
        sys.exit(COMPLIANT if result.compliant else NOT_COMPLIANT)


def _write_utf8() -> None:
    """Output in UTF-8 whatever the locale says (LANG=C, PYTHONIOENCODING=latin-1): a message
    that cannot be encoded would crash with status 1, which reads as "not compliant"."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def _shown_path(path: str) -> str:
    """A file's name on one printable line: bytes that are not UTF-8 as \\xff, line breaks
    and other control characters escaped (\\n)."""
    try:
        name = os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate not from the command line: shown as \\ud800
        name = path
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in name
    )


def _read_file(path: str) -> bytes:
    with open(path, "rb") as plan_file:
        return plan_file.read()


def _read_standard_input() -> bytes | str:
    """Bytes from a real stream, so the parser decodes and reports them itself; the text of a
    stream that has no byte buffer (one an embedding program put in place)."""
    stream = sys.stdin
    if stream is None:  # started with standard input closed
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    return stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
