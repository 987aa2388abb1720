"""Synthetic outcome trajectories per condition: baselines and plausible, mixed changes.

Some patients improve, some do not, some worsen: the demo must not suggest results the
clinic has not shown.
"""

# condition code -> [(instrument, baseline range, step, changes a check-up may bring)]
TRAJECTORIES = {
    "ms": [("edss", (2.0, 6.5), 0.5, [-1.0, -0.5, 0.0, 0.0, 0.0, 0.5, 1.0])],
    "sci": [
        ("isncsci_motor", (20, 80), 1, [-2, 0, 0, 1, 2, 3, 5, 8]),
        ("pain", (3, 8), 1, [-2, -1, -1, 0, 0, 1]),
    ],
    "parkinsons": [("updrs3", (20, 50), 1, [-8, -4, -2, 0, 0, 2, 4, 6])],
    "t2d": [("hba1c", (7.0, 10.0), 0.1, [-1.2, -0.6, -0.3, 0.0, 0.2, 0.5])],
    "ckd": [("egfr", (20, 55), 1, [-5, -2, 0, 0, 2, 4, 6])],
    "lyme": [("pain", (4, 8), 1, [-3, -2, -1, 0, 0, 1])],
}

LIMITS = {
    "edss": (0, 10),
    "isncsci_motor": (0, 100),
    "pain": (0, 10),
    "updrs3": (0, 132),
    "hba1c": (3, 20),
    "egfr": (0, 200),
}


def baseline(rng, low: float, high: float, step: float) -> float:
    steps = round((high - low) / step)
    return round(low + step * rng.randint(0, steps), 2)


def next_value(rng, instrument: str, value: float, changes: list[float]) -> float:
    low, high = LIMITS[instrument]
    return round(min(high, max(low, value + rng.choice(changes))), 2)
