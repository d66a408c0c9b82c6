"""Short-shipped parts and the retrofit area: the retrofit section of the report (a part of the kit supply's) and
its console table."""

from __future__ import annotations

from ..cells import COUNT, DECIMAL1, DECIMAL2, INTERVAL, PERCENT, Column, Rows, cell
from ..page import rows_table
from ..sections import Section

SECTIONS = [Section("retrofit", None, "Short-shipped parts and the retrofit area",
                    lambda run: bool(run.summary.get("retrofit")),
                    lambda run: rows_table(lambda: retrofit_rows(run.summary)), within="supply")]


def console(s: dict) -> list[Rows | None]:
    return [retrofit_rows(s)]


def retrofit_rows(s: dict) -> Rows | None:
    """Per part family: cars built without it, retrofits done, days in the area; the area's figures in the caption;
    None without a retrofit area."""
    retrofit = s.get("retrofit")
    if not retrofit:
        return None
    rows = Rows("Retrofit: cars built without a short-shipped part", [
        Column("part family", short="family"), Column("built short / year", COUNT, "short/yr"),
        Column("95% CI", INTERVAL), Column("retrofitted / year", COUNT, "retrofit/yr"),
        Column("days in area", DECIMAL2, "days"), Column("p95 days", DECIMAL2, "p95")])
    for name, f in retrofit["families"].items():
        rows.add([name, f["short_annual"]["mean"], f["short_annual"], f["retrofits_annual"]["mean"],
                  f["days_mean"]["mean"], f["days_p95"]["mean"]])
    rows.add(["all cars", retrofit["short_annual"]["mean"], retrofit["short_annual"],
              retrofit["retrofits_annual"]["mean"], retrofit["days_mean"]["mean"], retrofit["days_p95"]["mean"]],
             "total")
    area, blocked = retrofit["area"], retrofit["blocked_hours"]
    rows.caption = (f"Retrofit area of {cell(retrofit['places'], COUNT)} places: mean "
                    f"{cell(area['mean']['mean'], DECIMAL1)} cars, most {cell(area['max'], COUNT)}, full {cell(area['share_full']['mean'], PERCENT)} of the "
                    f"time; a full area held the end of line {cell(blocked['mean'], DECIMAL1)} shift hours "
                    f"({cell(retrofit['blocked_share']['mean'], PERCENT)} of the last shop's shift time) in the "
                    f"window; {cell(retrofit['heads_per_shift'], COUNT)} retrofitters a shift in the staffing table. "
                    "A car counts as produced when it leaves the area; all cars: a car short of two families counts "
                    "once; days in area: end of line to leaving.")
    return rows
