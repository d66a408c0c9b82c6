"""The rows of the core report tables of one run, built once; the terminal and the HTML page only render them
(``cells``: the table and how a value is written)."""

from __future__ import annotations

import pandas as pd

from ..analysis.bottleneck import most_loaded
from ..scenario.topology import parts_buffer
from .cells import (COUNT, DECIMAL1, DECIMAL2, HOURS, INTERVAL, PERCENT, TEXT, Column, Rows, cell, ci_text,
                    interval_text, missing, share_interval_text)
from .parts import report_parts
from .states import state_columns, state_short


def output_rows(s: dict) -> Rows:
    t, target = s["throughput"], s["target"]
    rows = Rows("Annual output against target", [
        Column(""), Column("cars / year", COUNT), Column("95% CI", INTERVAL), Column("target", COUNT),
        Column("attainment", PERCENT)])
    annual = t["annual_units"]
    rows.add(["plant", annual["mean"], annual, target["annual_units"], target["attainment"]], "total")
    for model, ci in t["by_model_ci"].items():
        rows.add([f"  {model}", ci["mean"], ci, None, None])
    export_target = target.get("export_share")
    for market, ci in t["by_market_ci"].items():
        goal = None
        if export_target is not None:
            goal = (export_target if market == "export" else 1 - export_target) * target["annual_units"]
        rows.add([f"  {market}", ci["mean"], ci, goal, ci["mean"] / goal if goal else None])
    if t.get("scrapped_annual"):
        rows.add(["  scrapped", t["scrapped_annual"], None, None, None])
    met = "met" if target["met"] else "NOT met"
    confident = " with 95% confidence" if target.get("met_with_95_confidence") else ""
    rows.caption = f"Target {met}{confident if target['met'] else ''}."
    rows.caption += "".join(part.output_caption(s) for _, part in report_parts() if hasattr(part, "output_caption"))
    return rows


def shop_rows(s: dict) -> Rows:
    rows = Rows("Shops", [
        Column("shop"), Column("JPH simulated", DECIMAL1, "JPH"), Column("static cap. / yr", COUNT, "static/yr"),
        Column("static limit", TEXT, "limit"), Column("net shift h / yr", COUNT, "shift h/yr"),
        Column("first pass", PERCENT, "FPY")])
    quality = s.get("quality") or {}
    for shop, jph in s["jph"].items():
        detail = s["static_capacity_detail"][shop]
        q = quality.get(shop)
        fpy = 1 - q["failed"] / q["inspected"] if q and q.get("inspected") else None
        rows.add([shop, jph, s["static_capacity"][shop], detail["limiting_station"],
                  detail["net_hours_per_year"], fpy])
    rows.caption = ("JPH: cars per shift hour (net of breaks). Static capacity: slowest station x net shift hours "
                    "a year (the hand calculation); first pass: simulated share passing inspection first time.")
    return rows


def resource_name(row) -> str:
    """A station as the plant calls it: a paced line by its name and slowest station."""
    if row["kind"] == "line":
        return f"{row['line']} line (slowest: {row['station']})"
    return row["station"]


def station_rows(stations: pd.DataFrame, s: dict, n: int | None = None) -> Rows:
    """The most loaded resources (n of them; a paced line once), or every station (n None), in shares of
    on-shift time."""
    b = s["bottleneck"]
    where = f"{b['shop']}.{b['station']}" + (f" on paced line {b['line']}" if b.get("line") else "")
    title = (f"Most loaded stations — bottleneck {where}, active {100 * b['active_share']:.1f}% of shift time, "
             f"top in {100 * b['share_of_replications']:.0f}% of replications") if n else "Stations"
    # shares of on-shift time: off shift is left out; waiting for labour only where a pool exists
    states = [st for st in state_columns(stations) if st != "off_shift" and
              (st not in ("labour", "feeder", "colour_change") or stations[f"share_{st}"].fillna(0).gt(0).any())]
    starved_by = "feeder" in states and "starved_by" in stations.columns
    columns = [Column("shop"), Column("station")]
    if n is None:
        columns += [Column("kind"), Column("line"), Column("servers", COUNT), Column("completions", COUNT)]
    columns += [Column("active", PERCENT)] + [Column(st.replace("_", " "), PERCENT, state_short(st))
                                              for st in states] + \
        ([Column("waited for")] if starved_by else []) + [Column("static cars/h", DECIMAL1, "cars/h")]
    rows = Rows(title, columns)
    table = most_loaded(stations, n) if n else stations
    for row in table.to_dict("records"):
        on = 1 - row["share_off_shift"]
        values = [row["shop"], resource_name(row) if n else row["station"]]
        if n is None:
            values += [row["kind"], None if missing(row.get("line")) else row["line"], row["servers"],
                       row["completions"]]
        values += [row.get("active_share")] + [row[f"share_{st}"] / on if on else None for st in states] + \
            ([None if missing(row.get("starved_by")) else row["starved_by"]] if starved_by else []) + \
            [row.get("static_cars_per_hour")]
        hot = row["shop"] == b["shop"] and (row["station"] == b["station"] or
                                            (b.get("line") and row.get("line") == b["line"]))
        rows.add(values, "hot" if hot else "")
    rows.caption = ("Shares of on-shift time. active = working + down; paced: done, waiting for the takt or a "
                    "slower station of its line; blocked: no room downstream; starved: no car"
                    + ("; feeder: a car held for a feeder's part (waited for: the feeder it waited for longest)"
                       if starved_by else "") + ".")
    return rows


SUPPLY_WORDS = {"in_sequence": "in sequence", "to_stock": "to stock", "own_part": "car's own part"}


def feeder_rows(s: dict, buffers: pd.DataFrame) -> Rows | None:
    """The feeders: how their parts come, where they are fitted, their parts buffer and how long the
    join waited for them."""
    feeders = s.get("feeders")
    if not feeders:
        return None
    rows = Rows("Feeders", [
        Column("feeder"), Column("parts"), Column("from"), Column("joins at", short="joins"),
        Column("parts buffer", COUNT, "buffer"), Column("mean parts", DECIMAL1, "mean"),
        Column("buffer empty", PERCENT, "empty"), Column("join waited", PERCENT, "waited"),
        Column("95% CI", TEXT)])
    parts = {row["buffer"]: row for row in buffers.to_dict("records")} if not buffers.empty else {}
    for key, f in feeders.items():
        buffer = parts.get(parts_buffer(*key.split(".", 1), f["joins"]), {})
        wait = f["join_wait_share"]
        ci = "n/a (1 run)" if wait.get("ci95_low") is None else \
            f"{100 * max(0.0, wait['ci95_low']):.1f}% – {100 * min(1.0, wait['ci95_high']):.1f}%"
        rows.add([key, SUPPLY_WORDS.get(f["supply"], f["supply"]), f.get("from") or "–", f["joins"],
                  buffer.get("capacity"),
                  buffer.get("mean_level"), buffer.get("share_empty"), wait["mean"], ci],
                 "hot" if wait["mean"] and wait["mean"] > 0.01 else "")
    rows.caption = ("join waited: share of the join station's shift time spent holding a car for this feeder's part "
                    "(a paced line with a join stands still meanwhile). In sequence: a part per car, called off "
                    "when the car is done at 'from'; to stock: common parts; own part: "
                    "taken off the car at 'from' and refitted to the same car.")
    return rows


def colour_rows(s: dict) -> Rows | None:
    """Colour changes at each paint booth: how often, how long the blocks, what they cost."""
    booths = s.get("colour_changes")
    if not booths:
        return None
    rows = Rows("Colour changes at the paint booths", [
        Column("booth"), Column("bodies", COUNT), Column("changes a shift", DECIMAL1, "chg/shift"),
        Column("95% CI", TEXT), Column("mean block", DECIMAL1, "block"),
        Column("empty carriers a shift", DECIMAL1, "empty/shift"), Column("colour change", PERCENT, "time")])
    for key, b in booths.items():
        changes = b["changes_per_shift"]
        rows.add([key, b["bodies"], changes["mean"], ci_text(changes, DECIMAL1), b["mean_block"],
                  b["empty_carriers_per_shift"], b["colour_change_share"]])
    rows.caption = ("bodies: bodies whose colour the booth checked; mean block: those bodies per run of one colour "
                    "among them; colour change: "
                    "share of the booth's shift time spent purging, or lost to empty carriers left for a change.")
    return rows


def over_cycle_rows(s: dict, per_station: bool = True) -> Rows | None:
    """Over-cycles on the paced lines: per line (and per station), how often, how far the operators drift,
    what the line lost; ``per_station`` False: a row per line only (the console)."""
    lines = s.get("over_cycles")
    if not lines:
        return None
    rows = Rows("Over-cycles on the paced lines", [
        Column("line / station" if per_station else "line"), Column("rule"),
        Column("over-cycles a shift", DECIMAL1, "over/shift"), Column("line stop min a shift", DECIMAL1, "stop min")]
        + ([Column("95% CI", TEXT)] if per_station else []) +
        [Column("max drift s", DECIMAL1, "drift s"), Column("floater helps a shift", DECIMAL1, "helps"),
         Column("floaters busy", PERCENT, "busy")])
    for key, line in lines.items():
        stations = line["stations"].values()
        total = [sum(st["over_cycles_per_shift"] for st in stations),
                 sum(st["stop_min_per_shift"]["mean"] for st in stations)] + ([""] if per_station else []) + \
            [max(st["drift_max_s"] for st in stations), sum(st["floater_helps_per_shift"] for st in stations),
             line["floater_utilisation"]]
        rows.add([key, line["rule"]] + total, "total" if per_station else "")
        if not per_station:
            continue
        for name, st in line["stations"].items():
            stop = st["stop_min_per_shift"]
            rows.add([f"  {name}", "", st["over_cycles_per_shift"], stop["mean"], ci_text(stop, DECIMAL1),
                      st["drift_max_s"], st["floater_helps_per_shift"], None])
    rows.caption = ("over-cycles: cars whose work at a station (plus transfer) exceeds the takt (a line row adds its "
                    "stations'); line stop: time the line stood for them (where no zone or floater absorbed them); "
                    "max drift: the furthest an operator ran past the takt into the next zone; floater helps: cars a "
                    "floater finished; floaters busy: a help keeps a floater one takt."
                    + ("" if per_station else " Per station: the HTML report, stations.csv."))
    return rows


def spacing_rows(s: dict) -> Rows | None:
    """Spacing-rule breaches per rule and shop: the planned sequence (first shop) and each shop's entry order."""
    sequence = s.get("sequence")
    if not sequence:
        return None
    rows = Rows(f"Spacing rules (launch: {sequence['launch']})", [
        Column("rule / shop"), Column("breaches", COUNT), Column("95% CI", TEXT),
        Column("per 1,000 cars", DECIMAL2, "/1,000"), Column("cars entering", COUNT, "cars")])
    for text, shops in sequence["rules"].items():
        rows.add([text, None, "", None, None], "total")
        for shop, b in shops.items():
            breaches = b["breaches"]
            rows.add([f"  {shop}", breaches["mean"], ci_text(breaches, COUNT), b["per_1000_cars"], b["cars"]],
                     "hot" if breaches["mean"] else "")
    rows.caption = ("breaches: cars entering the shop in the measured window that made the last n cars hold more "
                    "than the rule allows (mean over replications). The first shop's order is the launch "
                    "sequence; later shops take their cars from the store or buffer in front of them.")
    return rows


SORT_WORDS = {"colour": "colour blocks", "sequence": "planned order", "levelled": "levelled"}


def sequencing_rows(s: dict) -> Rows | None:
    """What enters each shop after a store (colour blocks, how far from the planned slots) and how the
    sorting store in front of it held its cars; None when no store sorts."""
    sequencing = s.get("sequencing")
    if not sequencing:
        return None
    rows = Rows("Sequencing into the shops after a store", [
        Column("shop"), Column("store"), Column("sorts by", short="sorts"), Column("cars", COUNT),
        Column("mean block", DECIMAL2, "block"), Column("in slot", PERCENT),
        Column("mean displ.", DECIMAL2, "displ."), Column("p95 displ.", DECIMAL1, "p95"),
        Column("mean wait", HOURS, "wait"), Column("max wait", HOURS, "max"),
        Column("forced", COUNT)])
    stores = sequencing["stores"]
    for shop, f in sequencing["shops"].items():
        store = stores.get(f["store"], {})
        rows.add([shop, f["store"], SORT_WORDS.get(f["sort"], "none (FIFO)"), f["cars"]["mean"],
                  f["mean_block"]["mean"], f["in_slot"]["mean"], f["displacement_mean"]["mean"],
                  f["displacement_p95"]["mean"]] +
                 [store[k]["mean"] if store else None for k in ("wait_mean_h", "wait_max_h", "forced")],
                 "hot" if f["sort"] else "")
    rows.caption = ("Cars entering each shop in the measured window, in the order its store released them (means "
                    "over replications). Block: a run of cars of one colour; in slot: cars in their planned slot "
                    "(the rank of their launch number among these cars); displ.: slots between a car's planned and "
                    "actual place. Waits (h:mm) in a sorting store count the shift time of the shop it feeds; "
                    "forced: releases made because a body had waited max_wait.")
    return rows


def oee_rows(s: dict) -> Rows | None:
    """OEE per shop and per paced line or conveyor: availability x performance x quality."""
    oee = s.get("oee")
    if not oee:
        return None
    rows = Rows("OEE (availability x performance x quality)", [
        Column("shop / line"), Column("availability", PERCENT, "avail."), Column("performance", PERCENT, "perf."),
        Column("quality", PERCENT, "qual."), Column("OEE", PERCENT)])
    for shop, parts in oee["shops"].items():
        rows.add([shop] + [parts[k] for k in ("availability", "performance", "quality", "oee")], "total")
        for name, line in oee["lines"].items():
            if name.split(".", 1)[0] == shop:
                rows.add([f"  {name.split('.', 1)[1]}"] + [line[k] for k in ("availability", "performance",
                                                                            "quality", "oee")])
    rows.caption = ("Over shift time (breaks excluded). Availability: time not down for breakdowns; performance: "
                    "units x ideal cycle (takt, conveyor index) / running time — starved, blocked, feeder and "
                    "balance waits; quality: the shop's first-pass share. A shop's availability is its limiting "
                    "resource's; its OEE is first-pass output at the ideal cycle of its slowest station.")
    return rows


def buffer_rows(buffers: pd.DataFrame, min_capacity: float | None = None) -> Rows:
    """Stores and buffers; with ``min_capacity`` only stores and buffers at least that large."""
    rows = Rows("Stores and buffers" if min_capacity is None else "Stores and largest buffers", [
        Column("shop"), Column("in front of"), Column("kind"), Column("capacity", COUNT, "cap."),
        Column("mean level", DECIMAL1, "mean"), Column("max", COUNT), Column("full", PERCENT),
        Column("empty", PERCENT)])
    for row in buffers.to_dict("records"):
        capacity = row["capacity"]
        kind = row.get("kind", "")
        if min_capacity is not None and kind != "store" and (missing(capacity) or capacity < min_capacity):
            continue
        rows.add([row["shop"], row["buffer"], kind, "unbounded" if missing(capacity) else capacity,
                  row["mean_level"], row["max_level"], row["share_full"], row["share_empty"]],
                 "hot" if kind == "store" else "")
    return rows


def pool_rows(pools: dict) -> Rows:
    rows = Rows("Labour pools", [
        Column("pool"), Column("shop"), Column("size per shift"), Column("mean present", DECIMAL2),
        Column("utilisation", PERCENT), Column("stations waited (h)", DECIMAL1),
        Column("cycles served", COUNT)])
    for name, p in pools.items():
        rows.add([name, p["shop"], str(p["size"]), p["mean_present"], p["utilisation"], p["station_wait_hours"],
                  p["cars_served"]])
    rows.caption = "Means over replications; waiting hours add up over the stations that wait."
    return rows


def staffing_rows(staffing: pd.DataFrame, s: dict) -> Rows:
    st = s["staffing"]
    shifts = sorted(staffing["shift"].unique()) if not staffing.empty else []
    title = (f"Headcount: {st['headcount_total']:,} ({st['direct']:,} direct, {st.get('team_leaders', 0):,} team "
             f"leaders, {st.get('reserve', 0):,} absence reserve, {st['indirect']:,} indirect)")
    rows = Rows(title, [Column("shop"), Column("role"), Column("group")] +
                [Column(f"shift {k}", COUNT, f"s{k}") for k in shifts] + [Column("total", COUNT),
                                                                          Column("driver (first shift)")])
    if staffing.empty:
        rows.caption = "This scenario names no crews or staffing ratios: headcount 0."
        return rows
    pivot = staffing.pivot_table(index=["shop", "role"], columns="shift", values="headcount", aggfunc="sum",
                                 fill_value=0, sort=False)
    first = staffing.drop_duplicates(["shop", "role"]).set_index(["shop", "role"])
    drivers = first["driver"] if "driver" in first else pd.Series(dtype=object)
    for (shop, role), row in pivot.iterrows():
        driver = drivers.get((shop, role), "")
        rows.add([shop, role, first["group"].get((shop, role), ""), *[row.get(k, 0) for k in shifts], row.sum(),
                  driver if isinstance(driver, str) else ""])
    totals = staffing.groupby("shift")["headcount"].sum()
    rows.add(["total", "", "", *[totals.get(k, 0) for k in shifts], totals.sum(), ""], "total")
    rows.caption = ("Each indirect figure is sized from the driver beside it (docs/staffing.md); the absence reserve "
                    "covers the direct operators with their team leaders, and the indirect staff, apart.")
    return rows


def benchmark_rows(s: dict) -> Rows:
    st = s["staffing"]
    rows = Rows("Staffing against public figures", [
        Column(""), Column("headcount", COUNT), Column("paid hours / vehicle", DECIMAL1, "h/vehicle"),
        Column("vehicles / employee / yr", DECIMAL1, "veh/empl"), Column("source")])
    rows.add(["this scenario (model): everyone counted", st["headcount_total"], st["hours_per_vehicle"],
              st["vehicles_per_employee_year"], "computed from the scenario"], "total")
    if st.get("direct_hours_per_vehicle") is not None:
        rows.add(["this scenario (model): direct operators only", st["direct"], st["direct_hours_per_vehicle"], None,
                  "team leaders, reserve and indirect staff left out"])
    for b in st["benchmarks"]:
        rows.add([b["label"], b.get("headcount"), b.get("hours_per_vehicle"), b.get("vehicles_per_employee_year"),
                  b.get("source", "")])
    rows.caption = ("The model counts what the scenario's stations, shifts, kits and staffing drivers name "
                    "(docs/staffing.md): body, paint, assembly, CKD logistics and the plant's support staff of one "
                    "line at its simulated output. A public figure may cover more (other brands' lines, stamping, "
                    "sales, the whole company) and is a plan or capacity, not an output: compare vehicles per "
                    "employee and year, and headcount only against a plant of the same scope.")
    return rows


def workload_rows(workload: pd.DataFrame) -> Rows:
    rows = Rows("Workload per station (operators needed at takt against assigned)", [
        Column("shop"), Column("station"), Column("takt (s)", DECIMAL1), Column("work content (min)", DECIMAL2),
        Column("assigned", DECIMAL1), Column("needed", DECIMAL2), Column("gap", DECIMAL2)])
    for row in workload.to_dict("records"):
        rows.add([row["shop"], row["station"], row["takt_s"], row["work_content_min"], row["assigned"],
                  row["needed"], row["gap"]], "hot" if row["gap"] < -1e-9 else "")
    return rows


def workload_line(workload: pd.DataFrame, s: dict) -> str:
    """Assigned crews against the operators the work content needs at takt, in one sentence."""
    if workload.empty:
        return ""
    assigned, needed = workload["assigned"].sum(), workload["needed"].sum()
    loss = cell(1 - needed / assigned, PERCENT) if assigned else "–"
    text = (f"Workload: stations are crewed with {assigned:,.0f} operators a shift; their work content at takt "
            f"needs {needed:,.1f} (balance and crew-rounding loss {loss}).")
    under = s["staffing"]["understaffed_stations"]
    if under:
        text += f" Under-staffed at takt: {', '.join(under[:8])}" + (" …" if len(under) > 8 else "") + "."
    return text


def lead_time_line(s: dict) -> str:
    lead = s["lead_time_hours"]
    return (f"Lead time launch→end of line: mean {cell(lead['mean'], HOURS)} h, p95 {cell(lead['p95'], HOURS)} h; "
            f"mean WIP {cell(s['wip_mean'], COUNT)} cars. Loss against static capacity "
            f"(blocking, starving, variability): {cell(s['dynamic_loss'], PERCENT)}.")


def shifting_rows(s: dict) -> Rows | None:
    """The shifting-bottleneck view: per resource, its share of on-shift time as sole and shifting bottleneck."""
    view = s.get("shifting_bottleneck")
    if not view or not view.get("resources"):
        return None
    rows = Rows("Shifting bottleneck (active-period method)", [
        Column("shop"), Column("resource"), Column("sole", PERCENT), Column("shifting", PERCENT),
        Column("total", PERCENT), Column("total 95% CI", TEXT, "CI")])
    for r in view["resources"]:
        rows.add([r["shop"], r["resource"], r["sole"]["mean"], r["shifting"]["mean"], r["total"]["mean"],
                  share_interval_text(r["total"])])
    rows.caption = ("Shares of the plant's on-shift time, means over replications. At each moment the resource "
                    "with the longest uninterrupted active period (working or down, not starved, blocked or waiting "
                    "for labour or parts) is the bottleneck; sole: alone; shifting: its active period overlaps the "
                    "previous or next bottleneck's, so both count. A paced line is one resource. A conveyor or "
                    "line that seldom stops can top this view with capacity to spare: `sim bottleneck` shows "
                    "where more capacity buys output.")
    return rows


def marginal_rows(m: dict) -> Rows:
    """The bottleneck shopping list: annual cars gained by each small change, largest first."""
    n = m["replications"]
    rows = Rows(f"What one step buys: annual output gained, paired against the base run ({n} replication(s))", [
        Column("resource"), Column("active", PERCENT), Column("change"), Column("cars / year", COUNT, "gain"),
        Column("95% CI", TEXT), Column("what changes")])
    for c in m["changes"]:
        if c["skipped"]:
            rows.add([c["resource"], c["active_share"], c["change"], None, None, f"not run: {c['skipped']}"])
        else:
            gain = c["gain"]
            significant = gain.get("ci95_low") is not None and (gain["ci95_low"] > 0 or gain["ci95_high"] < 0)
            screened = c.get("screened_days")
            what = c["what"] + (f" (screened on {screened:g} days, not among the best)" if screened else "")
            rows.add([c["resource"], c["active_share"], c["change"], gain["mean"], interval_text(gain), what],
                     "hot" if significant and gain["mean"] > 0 and not screened else "")
    base = m["base_annual_units"]
    rows.caption = (f"Base run {base['mean']:,.0f} cars a year. Each change is rerun with the same seed and "
                    "replications (common random numbers); the interval is the paired t interval of the "
                    "per-replication differences. availability +1 pt: MTBF raised; cycle -1 s: every model's time, "
                    "a paced line indexing 1 s faster; buffer +1: one more place in front. Highlighted: a gain "
                    "whose interval excludes zero." + _screening_text(m))
    return rows


def _screening_text(m: dict) -> str:
    """How the list was screened (nothing when every change ran over the whole horizon)."""
    days = m.get("screen_days")
    if not days:
        return ""
    confirmed = sum(1 for c in m["changes"] if not c["skipped"] and not c.get("screened_days"))
    return (f" Screened: every change first ran over {days:g} days after the warm-up; the {confirmed} best ran "
            "again over the whole horizon and are ranked first by that gain; the rest keep their screened gain "
            "(marked), below them.")


def figure_rows(title: str, figures) -> Rows:
    """A component's section of summary.json as a table of its figures: a row per value, the keys of nested
    sections joined by dots ('yard.mean'), a list of plain values on one row."""
    rows = Rows(title, [Column("figure"), Column("value")])
    for key, value in _flat(figures, ""):
        rows.add([key or "value", _figure_text(value)])
    return rows


def _flat(value, key: str):
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
        for k, v in (value.items() if isinstance(value, dict) else enumerate(value)):
            yield from _flat(v, f"{key}.{k}" if key else str(k))
    else:
        yield key, value


def _figure_text(value) -> str:
    """A figure written as the report writes numbers: counts with thousands separators, other numbers with two
    decimals."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_figure_text(v) for v in value)
    return cell(value, COUNT if isinstance(value, int) else DECIMAL2 if isinstance(value, float) else TEXT)
