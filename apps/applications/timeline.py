"""Geometry of the plan's timeline picture: curriculum bands, activity bars, FAE progress.

The SVG itself is the template `applications/includes/timeline.svg`; this module only
computes positions, so the picture is the same for the student and for staff."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .checking import PlanCheck
from .models import Activity, ActivityKind

WIDTH = 960
LEFT = 10
RIGHT = 10
BAND_TOP = 24
BAND_HEIGHT = 22
LANE_TOP = 56
LANE_HEIGHT = 30
LANE_GAP = 6
# A bar's label starts this far inside it and stops as far from its end.
LABEL_INSET = 4

# Colour per kind, chosen to stay distinguishable for the common colour-vision deficiencies;
# the dark ones carry white labels at 4.5:1 or more (WCAG AA), the light ones dark labels.
KIND_COLOURS = {
    ActivityKind.DOUBLE_DEGREE: "#1f4e99",
    ActivityKind.MASTER: "#2b62a8",
    ActivityKind.EXCHANGE_SEMESTER: "#6aa6e8",
    ActivityKind.EXCHANGE_YEAR: "#1f6f8b",
    ActivityKind.FH_INTERNSHIP: "#b35900",
    ActivityKind.SUMMER_STAY: "#e69f00",
    ActivityKind.ENGINEERING_INTERNSHIP: "#4a7326",
    ActivityKind.FREE_INTERNSHIP: "#8fbf5a",
}
HOME_COLOUR = "#adb5bd"
# Bars light enough to need dark text for contrast.
LIGHT_COLOURS = frozenset({"#6aa6e8", "#e69f00", "#8fbf5a", HOME_COLOUR})


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    label: str
    summer: bool

    @property
    def label_room(self) -> float | None:
        """The room the label has in its band when it may need more (up to 8 units a letter in
        the picture's 12-unit font: "Summer" in a summer's band), its text then drawn to that
        length rather than over the next band; None when it fits."""
        room = round(self.width - 8, 1)
        return room if len(self.label) * 8 > room else None


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    colour: str
    text_colour: str
    label: str
    title: str
    abroad: bool
    has_error: bool

    @property
    def label_x(self) -> float:
        return round(self.x + LABEL_INSET, 1)

    @property
    def label_width(self) -> float:
        """The room for the label inside the bar (nothing in a bar of a few days)."""
        return round(max(0.0, self.width - 2 * LABEL_INSET), 1)


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    bands: list[Band]
    bars: list[Bar]
    progress_y: int
    progress_width: float
    progress_label: str
    legend: list[tuple[str, str]]


def first_academic_year(current_year_of_study: int, today: date) -> int:
    """Calendar year in which the student's 1A started (academic years start in September)."""
    this_year_start = today.year if today.month >= 9 else today.year - 1
    return this_year_start - (current_year_of_study - 1)


def curriculum_periods(first_year: int, until: date) -> list[tuple[date, date, str, bool]]:
    periods = []
    for index, label in enumerate((_("1A"), _("2A"), _("3A"))):
        year = first_year + index
        periods.append((date(year, 9, 1), date(year + 1, 6, 30), label, False))
        periods.append((date(year + 1, 7, 1), date(year + 1, 8, 31), _("Summer"), True))
    end_of_3a = periods[-1][1]
    if until > end_of_3a:
        periods.append((date(end_of_3a.year, 9, 1), until, _("After 3A"), False))
    return periods


def assign_lanes(activities: Sequence[Activity]) -> list[int]:
    """Greedy interval partitioning: each bar in the first lane free at its start."""
    lane_ends: list[date] = []
    lanes = []
    for activity in activities:
        for lane, end in enumerate(lane_ends):
            if end < activity.start:
                lane_ends[lane] = activity.end
                lanes.append(lane)
                break
        else:
            lane_ends.append(activity.end)
            lanes.append(len(lane_ends) - 1)
    return lanes


def build_timeline(
    activities: Sequence[Activity], check: PlanCheck, year_of_study: int, today: date
) -> Timeline:
    activities = sorted(activities, key=lambda activity: (activity.start, activity.pk or 0))
    first_year = first_academic_year(year_of_study, today)
    start = min([date(first_year, 9, 1), *(a.start for a in activities)])
    end = max([date(first_year + 3, 8, 31), *(a.end for a in activities)])
    span = (end - start).days + 1
    scale = (WIDTH - LEFT - RIGHT) / span

    def x_of(day: date) -> float:
        return round(LEFT + (day - start).days * scale, 1)

    def width_of(first: date, last: date) -> float:
        return round(max(2.0, ((last - first).days + 1) * scale), 1)

    bands = [
        Band(
            x=x_of(max(first, start)),
            width=width_of(max(first, start), last),
            label=label,
            summer=summer,
        )
        for first, last, label, summer in curriculum_periods(first_year, end)
        if last >= start
    ]
    lanes = assign_lanes(activities)
    bars = []
    for activity, lane in zip(activities, lanes, strict=True):
        abroad = str(activity.country) != "FR"
        title = _("%(kind)s, %(host)s, %(country)s, %(start)s – %(end)s") % {
            "kind": activity.get_kind_display(),
            # Read out by screen readers: a dash alone was read as "em dash".
            "host": activity.host_display or _("host not named"),
            "country": activity.country.name,
            "start": date_format(activity.start, "SHORT_DATE_FORMAT"),
            "end": date_format(activity.end, "SHORT_DATE_FORMAT"),
        }
        colour = KIND_COLOURS[activity.kind] if abroad else HOME_COLOUR
        bars.append(
            Bar(
                x=x_of(activity.start),
                y=LANE_TOP + lane * (LANE_HEIGHT + LANE_GAP),
                width=width_of(activity.start, activity.end),
                colour=colour,
                text_colour="#212529" if colour in LIGHT_COLOURS else "#ffffff",
                label=activity.host_display or activity.get_kind_display(),
                title=title,
                abroad=abroad,
                has_error=any(
                    finding.severity == "error"
                    for finding in check.by_activity.get(activity.engine_id, [])
                ),
            )
        )
    lane_count = max(lanes, default=0) + 1
    progress_y = LANE_TOP + lane_count * (LANE_HEIGHT + LANE_GAP) + 18
    result = check.result
    if result is None:
        progress_label = _("The plan has invalid data: no FAE progress to show")
    elif result.required_days == 0:
        progress_label = _("Time abroad: the study stay meets the minimum")
    else:
        progress_label = _("Time abroad: %(done)s of the %(required)s days required") % {
            "done": result.qualifying_days,
            "required": result.required_days,
        }
    used_kinds = {activity.kind for activity in activities}
    legend = [(KIND_COLOURS[kind], kind.label) for kind in ActivityKind if kind in used_kinds]
    if any(str(activity.country) == "FR" for activity in activities):
        legend.append((HOME_COLOUR, _("In France (does not count as abroad)")))
    return Timeline(
        width=WIDTH,
        height=progress_y + 40,
        bands=bands,
        bars=bars,
        progress_y=progress_y,
        progress_width=round((WIDTH - LEFT - RIGHT) * check.progress_percent / 100, 1),
        progress_label=progress_label,
        legend=legend,
    )
