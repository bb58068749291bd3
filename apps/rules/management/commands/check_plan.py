"""`python manage.py check_plan FILE|-`: check a mobility plan against the regulations.

Exit status: 0 compliant, 1 not compliant, 2 invalid input (then nothing on standard output
and one line per problem on standard error, naming the field); 74 when the report cannot be
written (a full disk, a closed output), which must not read as a verdict.
"""

import errno
import json
import os
import sys
from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from apps.rules import LANGUAGES, InvalidPlan, check_plan, parse_plan, text_report
from apps.rules.messages import PROBLEMS, system_error
from apps.rules.published import command_regulations

COMPLIANT, NOT_COMPLIANT, INVALID_INPUT = 0, 1, 2
REPORT_NOT_WRITTEN = 74  # EX_IOERR (sysexits.h)
# A plan of a hundred activities is a few kilobytes: more is not a plan, and reading an endless
# input (/dev/zero) whole would take every byte of memory before saying so.
MAX_PLAN_BYTES = 10 * 1024 * 1024


class TooLarge(Exception):
    pass


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
            problem = PROBLEMS["unreadable"][lang].format(reason=system_error(error, lang))
            self._say(f"{_shown_path(file)}: {problem}")
            sys.exit(INVALID_INPUT)
        except TooLarge:
            problem = PROBLEMS["too_large"][lang].format(megabytes=MAX_PLAN_BYTES // 1024 // 1024)
            self._say(f"{_shown_path(file)}: {problem}")
            sys.exit(INVALID_INPUT)
        regulations = command_regulations()
        try:
            plan = parse_plan(source, lang, regulations)
        except InvalidPlan as invalid:
            for problem in invalid.problems:
                self._say(str(problem))
            sys.exit(INVALID_INPUT)
        result = check_plan(plan, lang, regulations)
        if output_format == "json":
            report = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        else:
            report = text_report(result, lang)
        try:
            self.stdout.write(report)
            self.stdout.flush()
        except (OSError, ValueError, AttributeError) as error:
            # ValueError: a closed stream; AttributeError: started with standard output closed.
            if not isinstance(error, OSError):
                error = OSError(errno.EBADF, os.strerror(errno.EBADF))
            problem = PROBLEMS["unwritable"][lang].format(reason=system_error(error, lang))
            self._say(problem)
            _silence(sys.stdout)
            sys.exit(REPORT_NOT_WRITTEN)
        sys.exit(COMPLIANT if result.compliant else NOT_COMPLIANT)

    def _say(self, line: str) -> None:
        """One line on standard error. A full disk or a closed stream there too must not turn
        the status (2, or 74) into a traceback and 1, which reads as "not compliant"."""
        try:
            self.stderr.write(line)
            self.stderr.flush()
        except (OSError, ValueError, AttributeError):
            _silence(sys.stderr)


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
        return _at_most(plan_file.read(MAX_PLAN_BYTES + 1))


def _read_standard_input() -> bytes | str:
    """Bytes from a real stream, so the parser decodes and reports them itself; the text of a
    stream that has no byte buffer (one an embedding program put in place)."""
    stream = sys.stdin
    if stream is None:  # started with standard input closed
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    reader = stream.buffer if hasattr(stream, "buffer") else stream
    return _at_most(reader.read(MAX_PLAN_BYTES + 1))


def _at_most(source: bytes | str) -> bytes | str:
    if len(source) > MAX_PLAN_BYTES:
        raise TooLarge
    return source


def _silence(stream) -> None:
    """What could not be written is not written again when Python flushes its buffers on
    exit, which would print a second error and change the exit status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass
