"""Flow diagram (CONSORT-style): from enquiry to treatment, then each time point."""

from __future__ import annotations

import textwrap

from matplotlib.patches import FancyBboxPatch

from celltrace.outcomes.figures import render

STAGES = (
    ("enquired", "Enquired"),
    ("screened", "Screened"),
    ("eligible", "Eligible"),
    ("treated", "Treated (at least one administration)"),
)
# The side box beside each step: who left there and why.
LEFT_AT = {"enquired": "closed", "screened": "not_eligible", "eligible": "excluded"}
SIDE_TITLES = {"closed": "Closed", "not_eligible": "Not eligible", "excluded": "Excluded"}
COUNTS = ("due", "assessed", "missed", "withdrawn", "died", "not_yet_due")


def stages(flow: dict) -> list[tuple[str, str, int]]:
    """Each step as (key, words, n): with a product or route filter, the steps before
    treatment say they are the whole condition's, and the filtered treated follow everyone
    treated with any product."""
    scope = flow.get("pretreatment_scope")
    steps = []
    for key, word in STAGES:
        if key == "treated" and scope:
            steps.append(
                ("treated_any_product", f"{word}, any product", flow.get("treated_any_product", 0))
            )
            steps.append(
                ("treated", _capital(flow.get("treated_label") or word), flow.get("treated", 0))
            )
        else:
            steps.append((key, f"{word} ({scope})" if scope else word, flow.get(key, 0)))
    return steps


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def flow_figure(report: dict):
    """The diagram, or None when the report has no flow."""
    flow = report.get("flow")
    if not flow:
        return None
    timepoints = report.get("timepoints") or []
    steps = stages(flow)
    height = 1.0 * len(steps) + 1.1 * max(len(timepoints), 1) + 0.6
    figure = render.new_figure(height)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_xlim(0, 10)
    axes.set_ylim(0, height)
    y = height - 0.6
    previous = None
    for key, word, n in steps:
        _box(axes, 0.3, y, 4.6, _wrapped(f"{word}: n = {n}"), gid=f"stage-{key}")
        if previous is not None:
            _arrow(axes, 2.6, previous - 0.35, y + 0.35)
        side = LEFT_AT.get(key)
        reasons = (flow.get(side) or []) if side else []
        if reasons:
            lines = [f"{SIDE_TITLES[side]}: n = {sum(r['n'] for r in reasons)}"]
            lines += [f"  {r['reason']}: {r['n']}" for r in reasons]
            _box(axes, 5.6, y - 0.5, 4.1, "\n".join(lines), gid=f"left-{side}", size=7)
            _arrow(axes, 2.6, y - 0.5, y - 0.5, horizontal_to=5.6)
        previous = y
        y -= 1.0
    for tp in timepoints:
        text = f"{tp['name']} (day {tp['window_days'][0]}-{tp['window_days'][1]}): " + ", ".join(
            f"{key.replace('_', ' ')} {tp.get(key, 0)}" for key in COUNTS
        )
        completeness = tp.get("completeness")
        if completeness is not None:
            text += f"\ncompleteness {tp['assessed']}/{tp['due']} = {completeness:.0%}"
            text += " (under the flag: FLAGGED)" if tp.get("flagged") else ""
        else:
            text += f"\ncompleteness {tp.get('assessed', 0)}/{tp.get('due', 0)} (counts only)"
        _box(
            axes,
            0.3,
            y - 0.3,
            9.4,
            text,
            gid="timepoint-" + tp["name"].replace(" ", "-"),
            size=7,
            dashed=bool(tp.get("flagged")),
        )
        _arrow(axes, 2.6, previous - 0.35, y + 0.15)
        previous = y - 0.3
        y -= 1.1
    return render.finish(
        figure,
        name="flow",
        title="Patient flow: from enquiry to treatment, then each time point",
        alt=_alt(flow, timepoints),
        headers=("Step", "n", "Detail"),
        table=_table(flow, timepoints),
    )


def _wrapped(text: str, width: int = 48) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _box(axes, x, y, width, text, *, gid, size=8, dashed=False):
    lines = text.count("\n") + 1
    height = (0.16 if size > 7 else 0.14) * lines + 0.16
    patch = FancyBboxPatch(
        (x, y - height / 2),
        width,
        height,
        boxstyle="round,pad=0.02",
        facecolor="white",
        edgecolor=render.VERMILLION if dashed else render.BLACK,
        linestyle="--" if dashed else "-",
        linewidth=1.2 if dashed else 0.8,
    )
    patch.set_gid(gid)
    axes.add_patch(patch)
    axes.text(x + 0.1, y, text, va="center", ha="left", fontsize=size)


def _arrow(axes, x, y_from, y_to, *, horizontal_to=None):
    end = (horizontal_to, y_to) if horizontal_to is not None else (x, y_to)
    axes.annotate(
        "",
        xy=end,
        xytext=(x, y_from),
        arrowprops={"arrowstyle": "->", "color": render.BLACK, "linewidth": 0.8},
    )


def _table(flow: dict, timepoints: list[dict]) -> list[tuple]:
    table = []
    for key, word, n in stages(flow):
        table.append((word, n, ""))
        side = LEFT_AT.get(key)
        for reason in (flow.get(side) or []) if side else []:
            table.append((SIDE_TITLES[side], reason["n"], reason["reason"]))
    for tp in timepoints:
        for key in COUNTS:
            table.append((tp["name"], tp.get(key, 0), key.replace("_", " ")))
    return table


def _alt(flow: dict, timepoints: list[dict]) -> str:
    if flow.get("pretreatment_scope"):
        text = (
            f"Over the {flow['pretreatment_scope']}: of {flow.get('enquired', 0)} enquiries, "
            f"{flow.get('screened', 0)} were screened, {flow.get('eligible', 0)} eligible and "
            f"{flow.get('treated_any_product', 0)} treated with any product; "
            f"{flow.get('treated', 0)} {flow.get('treated_label', 'treated')}."
        )
    else:
        text = (
            f"Of {flow.get('enquired', 0)} enquiries, {flow.get('screened', 0)} were screened, "
            f"{flow.get('eligible', 0)} eligible and {flow.get('treated', 0)} treated."
        )
    for side, word in SIDE_TITLES.items():
        reasons = flow.get(side) or []
        if reasons:
            detail = "; ".join(f"{r['reason']} {r['n']}" for r in reasons)
            text += f" {word}: {sum(r['n'] for r in reasons)} ({detail})."
    for tp in timepoints:
        text += (
            f" {tp['name']}: {tp.get('assessed', 0)} of {tp.get('due', 0)} due assessed, "
            f"{tp.get('missed', 0)} missed, {tp.get('withdrawn', 0)} withdrawn, "
            f"{tp.get('died', 0)} died, {tp.get('not_yet_due', 0)} not yet due."
        )
    return text
