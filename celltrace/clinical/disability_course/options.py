"""The settings of a disability-course analysis, with pymsprog's defaults and meaning."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .measures import OUTCOMES

EVENTS = ("firstCDW", "first", "firstCDI", "firstPIRA", "firstRAW", "multiple")
BASELINES = ("fixed", "roving_impr", "roving_wors", "roving")
PROCEED_FROM = ("event", "firstconf")
SUB_THRESHOLD_REBASELINES = ("event", "improvement", "worsening", "none")
LOCAL_EXTREMA = ("none", "strict", "all")
PREC_TYPES = ("baseline", "last", "last_delta")

Window = tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class RelapseFreeWindows:
    """Relapse-free intervals (days before, days after) around the PIRA checkpoints."""

    prec: Window = (0, 0)
    event: Window = (90, 30)
    conf: Window = (90, 30)
    # Which visit is 'prec': the baseline, the last visit before the event, or the
    # last visit at a meaningful distance from the event score.
    prec_type: str = "baseline"

    def __post_init__(self) -> None:
        if self.prec_type not in PREC_TYPES:
            raise ValueError(f"prec_type must be one of {PREC_TYPES}")
        if self.prec[0] is None:
            # A merged interval needs a left end to start from.
            raise ValueError("the 'prec' window needs a left end")


@dataclass(frozen=True, slots=True)
class Options:
    """Every option of pymsprog's MSprog(), with the same defaults."""

    event: str = "firstCDW"
    raw_pira: bool = False
    baseline: str = "fixed"
    proceed_from: str = "firstconf"
    sub_threshold_rebl: str = "none"
    bl_geq: bool = False
    relapse_rebl: bool = False
    skip_local_extrema: str = "none"
    conf_days: float | tuple[float, ...] = 84
    conf_tol_days: float | tuple[float, ...] | Mapping[float, object] = (7, 730.5)
    require_sust_days: float = 0
    check_intermediate: bool = True
    relapse_to_bl: float | tuple[float, ...] = 30
    relapse_to_event: float | tuple[float, ...] = 0
    relapse_to_conf: float | tuple[float, ...] = 30
    relapse_assoc: float | tuple[float, ...] = 90
    relapse_indep: RelapseFreeWindows = field(default_factory=RelapseFreeWindows)
    impute_last_visit: float = 0
    impute_seed: int | None = None
    delta_fun: Callable[[float], float] | None = None
    worsening: str | None = None
    include_stable: bool = True

    def __post_init__(self) -> None:
        _check_choice("event", self.event, EVENTS)
        _check_choice("baseline", self.baseline, BASELINES)
        _check_choice("proceed_from", self.proceed_from, PROCEED_FROM)
        _check_choice("sub_threshold_rebl", self.sub_threshold_rebl, SUB_THRESHOLD_REBASELINES)
        _check_choice("skip_local_extrema", self.skip_local_extrema, LOCAL_EXTREMA)
        if self.impute_last_visit < 0:
            raise ValueError("impute_last_visit must be nonnegative")
        for day in self.confirmation_days():
            self.confirmation_tolerance(day)

    def confirmation_days(self) -> tuple[float, ...]:
        """Return the confirmation periods, in the order given."""
        if isinstance(self.conf_days, int | float):
            return (self.conf_days,)
        return tuple(self.conf_days)

    def confirmation_tolerance(self, day: float) -> tuple[float, float]:
        """Return the (left, right) tolerance around one confirmation period."""
        tolerance = self.conf_tol_days
        if isinstance(tolerance, Mapping):
            if day not in tolerance:
                raise ValueError(f"conf_tol_days has no tolerance for {day} days")
            tolerance = tolerance[day]
        if isinstance(tolerance, int | float):
            return (tolerance, tolerance)
        values = tuple(tolerance)
        return (values[0], values[0]) if len(values) == 1 else (values[0], values[1])

    def confirmation_windows(self) -> list[tuple[float, float]]:
        """Return the [earliest, latest] day after the change at which each period confirms."""
        windows = []
        for day in self.confirmation_days():
            left, right = self.confirmation_tolerance(day)
            # pymsprog truncates the period to whole days before adding the tolerance.
            windows.append((int(day) - left, int(day) + right))
        return windows

    def relapse_distance(self, name: str) -> tuple[float, float]:
        """Return one relapse window as (days after last relapse, days before next)."""
        return _pair(getattr(self, name))

    def types_worsening(self) -> bool:
        """Tell whether worsening events are typed as RAW or PIRA."""
        if self.event in ("firstCDW", "multiple", "first"):
            return self.raw_pira
        return self.event != "firstCDI"

    def impute_limits(self) -> tuple[float, float]:
        """Return (probability, longest follow-up in days) for imputing a last-visit change."""
        if self.impute_last_visit <= 1:
            return (self.impute_last_visit, float("inf"))
        return (1.0, self.impute_last_visit)


def check_outcome(outcome: str) -> str:
    """Return the outcome name in lower case, refusing unknown measures."""
    name = outcome.lower()
    _check_choice("outcome", name, OUTCOMES)
    return name


def _pair(value: float | tuple[float, ...]) -> tuple[float, float]:
    # A single distance constrains the last relapse only, as in pymsprog.
    if isinstance(value, int | float):
        return (value, 0)
    values = tuple(value)
    return (values[0], 0) if len(values) == 1 else (values[0], values[1])


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
