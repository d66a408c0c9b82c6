"""The short answer of a run: what a planner reads first, in the console and at the top of report.html.

``answer_rows(summary)`` gives (label, text) pairs built from summary.json only, so a notebook, the console
(``answer``: a line each) and the page (a box) say the same thing in the same words. A line is added here,
once, and shows everywhere.
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.losses import GROUPS
from .cells import COUNT, DECIMAL1, PERCENT, cell, interval_text

WARNINGS_SHOWN = 2
"""Warnings quoted in the answer; the rest are counted (all of them: ``--detail`` or ``sim show RUN warnings``)."""

WARNING_CHARACTERS = 110
"""A quoted warning is cut to this length: the answer stays a screen, the full text is one command away."""


def answer(summary: dict, report: str | Path | None = None) -> list[str]:
    """The answer as lines of text: 'label: text'."""
    return [f"{label}: {text}" if label else text for label, text in answer_rows(summary, report)]


def answer_rows(summary: dict, report: str | Path | None = None) -> list[tuple[str, str]]:
    """The answer as (label, text) pairs: the run, output against target, what limited it, the bottleneck
    station, people, warnings and where the report is (``report``: its path, when known)."""
    rows = [("Run", run_line(summary)), ("Output", output_line(summary)),
            ("Limited by", limited_line(summary)), ("Bottleneck", bottleneck_line(summary)),
            ("People", people_line(summary))]
    warnings = warnings_line(summary)
    if warnings:
        rows.append(("Warnings", warnings))
    if report is not None:
        rows.append(("Report", str(report)))
    return [(label, text) for label, text in rows if text]


def run_line(s: dict) -> str:
    n = s.get("replications") or 0
    return (f"{s.get('scenario')}, {n} replication{'s' if n != 1 else ''} (seed {s.get('seed')}), "
            f"{s.get('simulated_days', 0):g} days measured after {s.get('warmup_days', 0):g} days warm-up")


def output_line(s: dict) -> str:
    """Output against its yardstick (summary 'headline'): the plan in a ramp-up (year by year), the ramp's own
    capacity without a plan, the target otherwise."""
    annual = (s.get("throughput") or {}).get("annual_units") or {}
    head = s.get("headline") or {}
    against = head.get("judged_against")
    if against == "plan":
        years = "; ".join(f"{year} {cell(y['made'], COUNT)} of {cell(y['planned'], COUNT)}"
                          for year, y in head.get("by_year", {}).items())
        below = head.get("months_below_plan") or []
        return (f"{cell(head['made'], COUNT)} cars made against a plan of {cell(head['planned'], COUNT)}: "
                f"{cell(head.get('attainment'), PERCENT)} ({years}); "
                + (f"{len(below)} month{'s' if len(below) != 1 else ''} under 95% of plan, the first {below[0]}"
                   if below else "no month under 95% of plan"))
    if against == "ramp capacity":
        return (f"{cell(head['made'], COUNT)} cars made of the {cell(head['planned'], COUNT)} the ramp-up's shifts "
                f"and line speeds allow: {cell(head.get('attainment'), PERCENT)}")
    target = s.get("target") or {}
    text = f"{cell(annual.get('mean'), COUNT)} cars/yr (95% CI {interval_text(annual)})"
    if target.get("annual_units"):
        met = target.get("met")
        verdict = "" if met is None else (" — met" if met else " — NOT met")
        if met and target.get("met_with_95_confidence") is False and annual.get("ci95_low") is not None:
            verdict += " (not with 95% confidence)"
        text += (f" against a target of {cell(target['annual_units'], COUNT)}: "
                 f"{cell(target.get('attainment'), PERCENT)}{verdict}")
    return text


def limited_line(s: dict) -> str:
    """The largest loss in cars a year with its interval (the headline's: below the ramp's own capacity in a
    ramp-up), with the nameplate it is counted from; else the bottleneck station, the only limit a run without a
    loss breakdown names."""
    losses = s.get("losses") or {}
    head = s.get("headline") or {}
    largest = head.get("limited_by") if "limited_by" in head else losses.get("largest")
    if not losses:
        return f"{bottleneck_name(s)} (the bottleneck station; this run has no breakdown of losses)" \
            if s.get("bottleneck") else ""
    if not largest:
        return "nothing measurable: no loss below the ramp-up's own capacity" if losses.get("ramp") else ""
    cars = largest.get("cars") or {}
    where = f" at {largest['where']}" if largest.get("where") else ""
    gap = losses["nameplate"]["mean"] - losses["output"]["mean"]
    ramp = (f"; the ramp-up itself (shifts, line speed, plan) {cell(losses['ramp']['cars'], COUNT)}"
            if losses.get("ramp") else "")
    group = (losses.get("by_group") or {}).get(largest.get("group"), {}).get("mean")
    # the cause's whole group when it is more than the one place (kits at the launch and at assembly's entry)
    whole = (f", {GROUPS.get(largest['group'], largest['group'])} in all −{cell(group, COUNT)}"
             if group is not None and group > 1.05 * (cars.get("mean") or 0) else "")
    return (f"{largest.get('cause')}{where}: −{cell(cars.get('mean'), COUNT)} cars/yr "
            f"(95% CI {interval_text(cars)}){whole}, of {cell(gap, COUNT)} lost from a nameplate of "
            f"{cell(losses['nameplate']['mean'], COUNT)}{ramp}")


def bottleneck_name(s: dict) -> str:
    b = s.get("bottleneck") or {}
    if b.get("line"):
        return f"{b.get('shop')} {b['line']} line (slowest station {b.get('station')})"
    return f"{b.get('shop')} {b.get('station')}"


def bottleneck_line(s: dict) -> str:
    b = s.get("bottleneck") or {}
    if not b:
        return ""
    text = f"{bottleneck_name(s)}, active {cell(b.get('active_share'), PERCENT)} of shift time"
    if (s.get("replications") or 0) > 1:  # with one replication 'top in 100%' says nothing
        text += f", top in {cell(b.get('share_of_replications'), PERCENT)} of replications"
    return text


def people_line(s: dict) -> str:
    staff = s.get("staffing") or {}
    head = s.get("headline") or {}
    if head.get("staffing_of") == "window's months":  # a ramp-up: the people of its months, not the mature plant's
        return (f"{cell(head.get('headcount'), COUNT)} on average over the window's months, "
                f"{cell(head.get('hours_per_vehicle'), DECIMAL1)} paid hours per car "
                f"(the mature plant: {cell(staff.get('headcount_total'), COUNT)})")
    if not staff.get("headcount_total"):
        return ""
    return (f"{cell(staff['headcount_total'], COUNT)} ({cell(staff.get('direct'), COUNT)} direct), "
            f"{cell(staff.get('hours_per_vehicle'), DECIMAL1)} paid hours per car")


def warnings_line(s: dict) -> str:
    found = list(s.get("warnings") or [])
    if not found:
        return ""
    quoted = "; ".join(_cut(w) for w in found[:WARNINGS_SHOWN])
    more = f"; and {len(found) - WARNINGS_SHOWN} more" if len(found) > WARNINGS_SHOWN else ""
    return f"{len(found)}: {quoted}{more} (see --detail)"


def _cut(text: str) -> str:
    return text if len(text) <= WARNING_CHARACTERS else text[:WARNING_CHARACTERS - 1].rstrip() + "…"
