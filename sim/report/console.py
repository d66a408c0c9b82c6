"""Terminal report: rich tables rendered from the run's summary and tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..analysis.bottleneck import most_loaded


def _n(x, digits: int = 0) -> str:
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _ci(ci: dict, digits: int = 0) -> str:
    if ci.get("ci95_low") is None:
        return "n/a (1 run)"
    return f"{_n(ci['ci95_low'], digits)} – {_n(ci['ci95_high'], digits)}"


def print_report(result, console: Console | None = None) -> None:
    console = console or Console()
    s = result.summary
    console.print(f"[bold]{s['scenario']}[/bold]: {s['replications']} replication(s), seed {s['seed']}, "
                  f"{s['simulated_days']:g} days measured after {s['warmup_days']:g} days warm-up "
                  f"({s['working_days_in_window']} working days; {s['working_days_per_year']:g} per year)")
    console.print(_output_table(s))
    console.print(_shop_table(s))
    console.print(_loaded_table(result.stations, s))
    console.print(_buffer_table(result.buffers))
    if s.get("labour_pools"):
        console.print(_pool_table(s["labour_pools"]))
    console.print(_staffing_table(result.staffing, s))
    console.print(_benchmark_table(s))
    console.print(_workload_line(result.workload, s))
    for warning in s["warnings"]:
        console.print(f"[bold red]warning:[/bold red] {warning}")
    lead = s["lead_time_hours"]
    console.print(f"Lead time launch→end of line: mean {_n(lead['mean'], 1)} h, p95 {_n(lead['p95'], 1)} h; "
                  f"mean WIP {_n(s['wip_mean'], 0)} cars. Loss against static capacity "
                  f"(blocking, starving, variability): {_pct(s['dynamic_loss'])}.")


def _output_table(s: dict) -> Table:
    t = s["throughput"]
    target = s["target"]
    table = Table(title="Annual output against target", title_justify="left")
    for col in ("", "annual units", "95% CI", "target", "attainment"):
        table.add_column(col, justify="left" if not col else "right")
    met = "[green]met[/green]" if target["met"] else "[red]not met[/red]"
    table.add_row("[bold]plant[/bold]", _n(t["annual_units"]["mean"]), _ci(t["annual_units"]),
                  _n(target["annual_units"]), f"{_pct(target['attainment'])} {met}")
    for model, ci in t["by_model_ci"].items():
        table.add_row(f"  {model}", _n(ci["mean"]), _ci(ci), "", "")
    export_target = target["export_share"]
    for market, ci in t["by_market_ci"].items():
        goal = ""
        if export_target is not None:
            share = export_target if market == "export" else 1 - export_target
            goal = _n(share * target["annual_units"])
        table.add_row(f"  {market}", _n(ci["mean"]), _ci(ci), goal, "")
    if t["scrapped_annual"]:
        table.add_row("  scrapped", _n(t["scrapped_annual"]), "", "", "")
    return table


def _shop_table(s: dict) -> Table:
    table = Table(title="Shops", title_justify="left")
    for col in ("shop", "JPH (per shift hour)", "static capacity / yr", "static limit", "net shift h / yr"):
        table.add_column(col, justify="left" if col in ("shop", "static limit") else "right")
    for shop, jph in s["jph"].items():
        detail = s["static_capacity_detail"][shop]
        table.add_row(shop, _n(jph, 1), _n(s["static_capacity"][shop]), detail["limiting_station"],
                      _n(detail["net_hours_per_year"]))
    return table


def _loaded_table(stations, s: dict, n: int = 8) -> Table:
    b = s["bottleneck"]
    where = f"{b['shop']}.{b['station']}" + (f" on paced line {b['line']}" if b.get("line") else "")
    table = Table(title=f"Most loaded stations — bottleneck: [bold]{where}[/bold] "
                        f"(active {_pct(b['active_share'])} of shift time, "
                        f"top in {_pct(b['share_of_replications'])} of replications)", title_justify="left")
    for col in ("shop", "station", "kind", "active", "working", "paced", "blocked", "starved", "down",
                "static cars/h"):
        table.add_column(col, justify="left" if col in ("shop", "station", "kind") else "right")
    for row in most_loaded(stations, n).itertuples():
        on = 1 - row.share_off_shift
        name = f"{row.line} line (slowest: {row.station})" if row.kind == "line" else row.station
        table.add_row(row.shop, name, row.kind, _pct(row.active_share),
                      *[_pct(getattr(row, f"share_{k}") / on if on else None)
                        for k in ("working", "paced", "blocked", "starved", "down")],
                      _n(row.static_cars_per_hour, 1))
    return table


def _buffer_table(buffers) -> Table:
    table = Table(title="Stores and largest buffers", title_justify="left")
    for col in ("shop", "buffer", "capacity", "mean level", "max", "full", "empty"):
        table.add_column(col, justify="left" if col in ("shop", "buffer") else "right")
    shown = buffers[buffers["capacity"].fillna(0) >= 5]
    for row in shown.itertuples():
        table.add_row(row.shop, row.buffer, _n(row.capacity), _n(row.mean_level, 1), _n(row.max_level),
                      _pct(row.share_full), _pct(row.share_empty))
    return table


def _staffing_table(staffing, s: dict) -> Table:
    st = s["staffing"]
    table = Table(title=f"Headcount: {st['headcount_total']:,} ({st['direct']:,} direct, {st['indirect']:,} indirect)",
                  title_justify="left")
    shifts = sorted(staffing["shift"].unique())
    table.add_column("shop")
    table.add_column("role")
    for shift in shifts:
        table.add_column(f"shift {shift}", justify="right")
    table.add_column("total", justify="right")
    pivot = staffing.pivot_table(index=["shop", "role"], columns="shift", values="headcount",
                                 aggfunc="sum", fill_value=0, sort=False)
    for (shop, role), row in pivot.iterrows():
        table.add_row(shop, role, *[_n(row.get(k, 0)) for k in shifts], _n(row.sum()))
    totals = staffing.groupby("shift")["headcount"].sum()
    table.add_row("[bold]total[/bold]", "", *[_n(totals.get(k, 0)) for k in shifts],
                  f"[bold]{_n(totals.sum())}[/bold]")
    return table


def _benchmark_table(s: dict) -> Table:
    st = s["staffing"]
    table = Table(title="Staffing against public figures", title_justify="left",
                  caption="The model counts what the scenario's stations, shifts and staffing ratios name "
                          "(README: Staffing); a public figure may cover more (other brands, stamping, sales).",
                  caption_justify="left")
    for col in ("", "headcount", "paid hours / vehicle", "vehicles / employee / yr", "source"):
        table.add_column(col, justify="left" if col in ("", "source") else "right")
    table.add_row("[bold]this scenario (model)[/bold]", _n(st["headcount_total"]), _n(st["hours_per_vehicle"], 1),
                  _n(st["vehicles_per_employee_year"], 1), "computed from the scenario")
    for b in st["benchmarks"]:
        table.add_row(b["label"], _n(b.get("headcount")), _n(b.get("hours_per_vehicle"), 1),
                      _n(b.get("vehicles_per_employee_year"), 1), b.get("source", ""))
    return table


def print_search(result, console: Console | None = None) -> None:
    """The staffing search: the chosen option and the others, cheapest first."""
    console = console or Console()
    best = result.best
    if best is None:
        console.print(f"[bold red]No option meets {_n(result.target)} cars a year[/bold red] with "
                      f"{_pct(result.confidence)} confidence.")
    else:
        settings = _option(best.settings)
        console.print(f"[bold]Smallest headcount meeting {_n(result.target)} a year "
                      f"({_pct(result.confidence)} confidence): {best.headcount:,}[/bold] with {settings}; "
                      f"output {_n(best.annual_mean)} (lower bound {_n(best.lower_bound)}).")
    table = Table(title=f"Options, cheapest first ({result.pruned} of {len(result.candidates)} pruned by the "
                        f"static capacity bound; {result.replications} replications each)", title_justify="left")
    for col in ("option", "headcount", "static capacity", "simulated output", "lower bound", "status"):
        table.add_column(col, justify="left" if col in ("option", "status") else "right")
    shown = sorted(result.candidates, key=lambda c: (c.annual_mean is None, c.headcount, -c.static_capacity))
    for c in shown[:15]:
        marker = "[bold green]" if c is best else ""
        table.add_row(marker + _option(c.settings),
                      _n(c.headcount), _n(c.static_capacity), _n(c.annual_mean), _n(c.lower_bound), c.status)
    console.print(table)


def _option(settings: dict) -> str:
    """Scenario paths of an option in plant words: 'shops.body.shifts.count': 2 -> 'body 2 shifts'."""
    parts = []
    for path, value in settings.items():
        keys = path.replace("[", ".").replace("]", "").split(".")
        if keys[0] == "shops" and keys[2:] == ["shifts", "count"]:
            parts.append(f"{keys[1]} {value} shift{'s' if value != 1 else ''}")
        elif keys[0] == "shops" and keys[2] == "lines" and keys[-1] == "takt":
            parts.append(f"{keys[1]}.{keys[3]} takt {value:g} s")
        elif keys[:2] == ["staffing", "pools"]:
            parts.append(f"pool {keys[2]} {value}")
        else:
            parts.append(f"{path}={value}")
    return ", ".join(parts) or "as given"


def _pool_table(pools: dict) -> Table:
    table = Table(title="Labour pools", title_justify="left")
    for col in ("pool", "shop", "size per shift", "mean present", "utilisation", "stations waited (h)", "cycles served"):
        table.add_column(col, justify="left" if col in ("pool", "shop", "size per shift") else "right")
    for name, p in pools.items():
        table.add_row(name, p["shop"], str(p["size"]), _n(p["mean_present"], 2), _pct(p["utilisation"]),
                      _n(p["station_wait_hours"], 1), _n(p["cars_served"]))
    return table


def _workload_line(workload, s: dict) -> str:
    """Assigned crews against the operators the work content needs at takt (workload.csv)."""
    if workload.empty:
        return ""
    assigned, needed = workload["assigned"].sum(), workload["needed"].sum()
    under = s["staffing"]["understaffed_stations"]
    text = (f"Workload: stations are crewed with {_n(assigned)} operators a shift; their work content at takt "
            f"needs {_n(needed, 1)} (balance and crew-rounding loss {_pct(1 - needed / assigned) if assigned else '–'}).")
    if under:
        text += f" Under-staffed at takt: {', '.join(under[:8])}" + (" …" if len(under) > 8 else "") + "."
    return text
