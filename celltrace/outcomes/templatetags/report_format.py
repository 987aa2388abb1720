"""Numbers of the registry report as the page prints them: every one with its k/n.

The rules (REPORT.md): no percentage without k and n; a cell with n under the plan's
small-cell threshold shows counts only, and says so, rather than a blank.
"""

from django import template

register = template.Library()

SUPPRESSED = "n < {small_cell}: counts only"
NOTHING = "—"


@register.filter
def num(value, places=2):
    """A number with at most `places` decimals ('—' when there is none)."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{int(places)}f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return str(value)


@register.filter
def interval(pair, places=2):
    """A [low, high] pair as 'low to high' ('—' when there is none)."""
    if not pair:
        return NOTHING
    low, high = pair
    return f"{num(low, places)} to {num(high, places)}"


@register.simple_tag
def cell(value, n, rules, places=2):
    """A statistic of a cell, or why it is withheld: 'n < 10: counts only'."""
    if value is not None:
        return interval(value, places) if isinstance(value, list | tuple) else num(value, places)
    if n is not None and n < rules["small_cell"]:
        return SUPPRESSED.format(small_cell=rules["small_cell"])
    return NOTHING


@register.simple_tag
def share(k, n, rules):
    """A count of n as k/n, with a percentage only when n is large enough to carry one."""
    if k is None or n is None:
        return NOTHING
    if n < rules["small_cell"] or not n:
        return f"{k}/{n}"
    return f"{k}/{n} ({k / n * 100:.1f} %)"


@register.simple_tag
def counted(k, n):
    """A count of n as k/n only: for counts that carry no CI, so no percentage either."""
    if k is None or n is None:
        return NOTHING
    return f"{k}/{n}"


@register.simple_tag
def proportion(k, n, fraction, rules):
    """A proportion the report computed: k/n with it, or with why it is withheld."""
    if k is None or n is None:
        return NOTHING
    if fraction is not None:
        return f"{k}/{n} ({fraction * 100:.1f} %)"
    if n < rules["small_cell"]:
        return f"{k}/{n} ({SUPPRESSED.format(small_cell=rules['small_cell'])})"
    return f"{k}/{n}"


@register.simple_tag
def with_ci(k, n, ci95, rules):
    """k/n with its 95 % CI, or with why the interval is withheld."""
    if k is None or n is None:
        return NOTHING
    if ci95:
        return f"{share(k, n, rules)}, 95 % CI {interval_percent(ci95)}"
    if n < rules["small_cell"]:
        return f"{k}/{n} ({SUPPRESSED.format(small_cell=rules['small_cell'])})"
    return share(k, n, rules)


@register.filter
def case_counts(part) -> str:
    """How a worst or best case counted those without a pair: '1 died, 2 withdrew, ...'.

    The page and the PDF both print this, beside the case's k/n.
    """
    if not part:
        return ""
    words = {
        "died": "died", "withdrawn": "withdrew", "missed": "missed",
        "no_baseline": "no baseline", "not_classifiable": "not classifiable",
        "not_improved": "not improved",
    }  # fmt: skip

    def listed(counts: dict | None) -> str:
        return ", ".join(f"{n} {words.get(key, key)}" for key, n in (counts or {}).items())

    found = []
    if part.get("imputed_responders") is not None:
        found.append(f"counted as responders: {listed(part['imputed_responders'])}")
    if part.get("non_responders") is not None:
        found.append(f"non-responders: {listed(part['non_responders'])}")
    return "; ".join(found)


@register.filter
def described(value):
    """A nested part of the report (a dict or a list of them) in words: 'k: 1; n: 3'."""
    if isinstance(value, dict):
        return "; ".join(f"{key.replace('_', ' ')}: {described(v)}" for key, v in value.items())
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, int | float) for v in value):
            return interval(value)
        return ", ".join(described(v) for v in value)
    return num(value)


@register.filter
def without(row, keys):
    """The row's other entries, leaving out the comma-separated keys shown in columns."""
    hidden = set(keys.split(","))
    return {key: value for key, value in row.items() if key not in hidden}


@register.filter
def percent_of(fraction):
    """A fraction (0-1) as a percentage: 0.9 -> '90 %'."""
    return NOTHING if fraction is None else f"{num(fraction * 100, 1)} %"


@register.filter
def interval_percent(pair):
    """A [low, high] pair of fractions as '2.1 % to 30.5 %'."""
    if not pair:
        return NOTHING
    return f"{percent_of(pair[0])} to {percent_of(pair[1])}"


EVERYONE = "every patient together"
NOT_COMPARED = "not compared: the groups differ in what to expect"


@register.filter
def benchmark_rows(benchmark, rules):
    """A benchmark as rows of (group, observed, expected, comparison), one per stratum."""
    strata = benchmark.get("strata")
    if not strata:
        group = (benchmark.get("observed") or {}).get("stratum") or EVERYONE
        return [_benchmark_row(group, benchmark, rules)]
    rows = [_benchmark_row(stratum["label"], stratum, rules) for stratum in strata]
    if benchmark.get("observed_all"):
        part = {"observed": benchmark["observed_all"], "expected": None, "comparison": NOT_COMPARED}
        rows.append(_benchmark_row(EVERYONE, part, rules))
    return rows


def _benchmark_row(group: str, part: dict, rules) -> tuple[str, str, str, str]:
    observed, expected = part.get("observed") or {}, part.get("expected")
    if "k" in observed:
        seen = with_ci(observed["k"], observed["n"], observed.get("ci95"), rules)
    else:
        mean = cell(observed.get("mean_change"), observed.get("n"), rules)
        seen = f"n = {observed.get('n')}; mean change {mean}"
        if observed.get("ci95"):
            seen += f" (95 % CI {interval(observed['ci95'])})"
    if not expected:
        wanted = NOTHING
    elif "low" in expected:
        low, high = expected["low"], expected["high"]
        wanted = (
            f"at most {percent_of(high)}" if not low else f"{percent_of(low)} to {percent_of(high)}"
        )
    else:
        wanted = (
            f"mean change {num(expected['mean_change'])} (95 % CI {interval(expected['ci95'])})"
        )
    return group, seen, wanted, part.get("comparison") or NOTHING


SAFETY_TABLES = (
    ("by_grade", "By CTCAE grade"),
    ("by_seriousness", "By seriousness"),
    ("by_relatedness", "By relatedness to the product"),
    ("by_lot", "By product lot"),
)


@register.filter
def safety_tables(safety):
    """The safety section's breakdowns, each with its title."""
    return [(title, safety.get(key) or []) for key, title in SAFETY_TABLES]
