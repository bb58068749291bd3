"""Every check the portal runs hands the engine the versions it knows (built-in and published):
a call left with the engine's default knows only the built-in ones, and refuses every plan
under a published version as 'unknown regulation version'."""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"
ENGINE_ENTRIES = {"parse_plan", "check_json", "check_plan", "check_many"}


def engine_calls_without_versions() -> list[str]:
    found = []
    for path in APPS.rglob("*.py"):
        if path.is_relative_to(APPS / "rules") and path.name != "published.py":
            continue  # the engine itself, and its command (which builds its own set)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            has_versions = len(node.args) >= 3 or any(
                keyword.arg == "regulations" for keyword in node.keywords
            )
            if name in ENGINE_ENTRIES and not has_versions:
                found.append(f"{path.relative_to(APPS)}:{node.lineno}")
    return found


def test_every_engine_call_of_the_portal_names_the_versions():
    assert engine_calls_without_versions() == []
