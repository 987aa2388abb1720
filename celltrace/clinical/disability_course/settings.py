"""Options resolved once per analysis into the plain values the scan reads."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .measures import worsening_direction
from .options import Options


@dataclass(slots=True)
class Settings:
    """The effective settings of one analysis."""

    outcome: str
    sign: int
    event: str
    baseline: str
    from_conf: bool
    sub_threshold_rebl: str
    bl_geq: bool
    relapse_rebl: bool
    skip_local_extrema: str
    windows: list[tuple[float, float]]
    require_sust_days: float
    check_intermediate: bool
    rawpira: bool
    relapse_shift: float
    pira_windows: tuple
    prec_type: str
    impute_probability: float
    impute_max_fu: float
    delta_fun: Callable[[float], float] | None
    delta_follows_value: bool
    rng: random.Random = field(default_factory=random.Random)

    def draw_imputation(self) -> bool:
        """Decide whether to impute an unconfirmed worsening at the last visit."""
        if self.impute_probability >= 1:
            return True
        if self.impute_probability <= 0:
            return False
        return self.rng.random() < self.impute_probability


def resolve(
    options: Options, outcome: str, *, any_relapse: bool, delta_follows_value: bool
) -> Settings:
    """Resolve the options for one analysis as pymsprog does before it scans."""
    probability, max_fu = options.impute_limits()
    windows = options.relapse_indep
    return Settings(
        outcome=outcome,
        sign=1 if worsening_direction(outcome, options.worsening) == "increase" else -1,
        event=options.event,
        baseline=options.baseline,
        from_conf=options.proceed_from == "firstconf",
        sub_threshold_rebl=options.sub_threshold_rebl,
        # pymsprog reads bl_geq only with relapse_rebl on, even when no relapse is recorded.
        bl_geq=options.bl_geq and options.relapse_rebl,
        relapse_rebl=options.relapse_rebl and any_relapse,
        skip_local_extrema=options.skip_local_extrema,
        windows=options.confirmation_windows(),
        require_sust_days=options.require_sust_days,
        check_intermediate=options.check_intermediate,
        rawpira=options.types_worsening(),
        # A change within relapse_assoc of a relapse may still be its RAW (not for firstPIRA).
        relapse_shift=0
        if options.event == "firstPIRA"
        else options.relapse_distance("relapse_assoc")[0],
        pira_windows=(windows.prec, windows.event, windows.conf),
        prec_type=windows.prec_type,
        impute_probability=probability,
        impute_max_fu=max_fu,
        delta_fun=options.delta_fun,
        delta_follows_value=delta_follows_value,
        rng=random.Random(options.impute_seed),
    )
