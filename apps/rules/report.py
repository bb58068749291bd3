"""A check result told to people, one line per finding and a summary line."""

from apps.rules.messages import SEVERITY_NAMES, SUMMARY, VERDICTS, count
from apps.rules.plan import CheckResult


def text_report(result: CheckResult, lang: str = "fr") -> str:
    """Lines such as `ERROR DD_DURATION [a1] message (reference)`; plan-level findings have no
    activity in brackets."""
    lines = []
    for finding in result.findings:
        where = "" if finding.activity is None else f" [{finding.activity}]"
        severity = SEVERITY_NAMES[finding.severity][lang]
        lines.append(f"{severity} {finding.rule}{where} {finding.message} ({finding.reference})")
    severities = [finding.severity for finding in result.findings]
    lines.append(
        SUMMARY[lang].format(
            verdict=VERDICTS[result.compliant][lang],
            errors=count(severities.count("error"), "error", lang),
            warnings=count(severities.count("warning"), "warning", lang),
            infos=count(severities.count("info"), "info", lang),
            qualifying=count(result.qualifying_days, "day", lang),
            required=count(result.required_days, "day", lang),
        )
    )
    return "\n".join(lines)
