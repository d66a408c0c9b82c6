"""Learning curves: a table per shop with the curves' values over the run, in the report's Shops section and
the console report."""

from __future__ import annotations

from ..cells import DECIMAL1, DECIMAL2, PERCENT, Column, Rows, cell
from ..page import rows_table
from ..sections import Section

SECTIONS = [Section("learning", None, "Learning curves", lambda run: bool(run.summary.get("learning")),
                    lambda run: rows_table(lambda: learning_rows(run.summary)), within="shops")]


def console(s: dict) -> list[Rows | None]:
    return [learning_rows(s)]


CURVE_WORDS = {"cycle_time": "cycle time (x mature)", "first_pass_yield": "first-pass yield",
               "failures": "failure rate (x mature)"}


def learning_rows(s: dict) -> Rows | None:
    """Per shop with learning curves: each curve's value at the run's first car, at the start and end of the
    measured window, its mature value and the car at which it gets there."""
    shops = s.get("learning")
    if not shops:
        return None
    rows = Rows("Learning curves (Wright's law, per shop)", [
        Column("shop / curve"), Column("rate", DECIMAL2), Column("run's first car", DECIMAL2, "first"),
        Column("window start", DECIMAL2, "start"), Column("window end", DECIMAL2, "end"),
        Column("mature", DECIMAL2), Column("mature at car", DECIMAL1, "mature at")])
    for shop, learnt in shops.items():
        rows.add([f"{shop}: cars {learnt['car_at_window_start']:,.0f} to {learnt['car_at_window_end']:,.0f} in the "
                  f"window", None, None, None, None, None, None], "total")
        for name, curve in learnt["curves"].items():
            values = [curve[k] for k in ("at_first_car", "at_window_start", "at_window_end", "mature")]
            if name == "first_pass_yield":  # a yield reads as a share, the multipliers as decimals
                values = [cell(v, PERCENT) for v in values]
            late = curve["at_window_end"] != curve["mature"]
            rows.add([f"  {CURVE_WORDS[name]}", curve["rate"], *values, curve["mature_at_car"]], "hot" if late else "")
        for number, crew in (learnt.get("crews") or {}).items():
            values = ", ".join(f"{CURVE_WORDS[name]} " + (f"{crew[name]:.1%}" if name == "first_pass_yield" else
                                                          f"{crew[name]:.3f}") for name in CURVE_WORDS if name in crew)
            rows.add([f"  shift {number}'s crew: cars {crew['first_car']:,.1f} to {crew['car_at_end']:,.1f}, at "
                      f"the end: {values}", None, None, None, None, None, None])
    rows.caption = ("A shop's car n: the cars that left its last station since the start of the run (plus those "
                    "built before), plus one. Cycle time and failure rate: m(n) = max(1, first x n^b) times the "
                    "scenario's value, b = log2(rate); yield: its defects fall on the same law to the scenario's "
                    "first_pass_yield; mature at car n* (README: Learning curves). Red: still learning at the end "
                    "of the window (means over replications).")
    if any(learnt.get("crews") for learnt in shops.values()):
        rows.caption += (" A shop with crews of their own (new_crews): each shift's crew learns on its own car "
                         "number; its values at the end of the run.")
    return rows
