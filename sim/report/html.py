"""Self-contained HTML reports: one run, or several runs side by side.

The page needs nothing but itself: CSS inline, plots as SVG images in data
URIs, no script, no font or file fetched. It opens in any browser and can be
mailed. Every text taken from a scenario or a results folder is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

import pandas as pd

from . import plots
from .flow import plant_flow_plot
from .folder import RunData

# ---------------------------------------------------------------- formatting


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def num(x, digits: int = 0) -> str:
    if _missing(x):
        return "–"
    try:
        return f"{float(x):,.{digits}f}"
    except (TypeError, ValueError):
        return esc(x)


def pct(x, digits: int = 1) -> str:
    return "–" if _missing(x) else f"{100 * float(x):.{digits}f}%"


def ci_text(ci: dict | None, digits: int = 0) -> str:
    if not ci or ci.get("ci95_low") is None:
        return "n/a (one replication)"
    return f"{num(ci['ci95_low'], digits)} – {num(ci['ci95_high'], digits)}"


CSS = """
:root { --ink:#1d2b3a; --muted:#5b6672; --line:#d7dde3; --bg:#f4f6f8; --ok:#1e7b34; --bad:#b00020; --accent:#1f4e79; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: var(--ink); color: #fff; padding: 18px 28px 14px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header .facts { color: #cfd8e2; font-size: 13px; }
header .description { color: #e8eef4; max-width: 1100px; font-size: 13px; margin: 8px 0 0; }
nav { position: sticky; top: 0; z-index: 10; background: #fff; border-bottom: 1px solid var(--line);
      padding: 6px 28px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 16px; }
main { max-width: 1440px; margin: 0 auto; padding: 8px 20px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 18px 0; padding: 14px 20px; }
h2 { font-size: 19px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fbfcfd; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 22px; font-weight: 700; margin: 2px 0; }
.card .sub { color: var(--muted); font-size: 12.5px; }
.card .value.small { font-size: 18px; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.delta { color: var(--muted); font-size: 11.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; }
.badge.ok { background: var(--ok); color: #fff; } .badge.bad { background: var(--bad); color: #fff; }
.warnings { border-left: 5px solid var(--bad); background: #fff4f4; }
.warnings li { margin: 4px 0; }
figure { margin: 12px 0; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
.scroll table { border: 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e8ecf0; text-align: left; white-space: nowrap; }
th { background: #eef2f6; position: sticky; top: 0; z-index: 1; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; border-top: 2px solid #b8c2cc; }
tr.hot td { background: #fdecec; }
table.kpi td:first-child, table.kpi th:first-child { position: sticky; left: 0; background: #fff; }
table.kpi th:first-child { background: #eef2f6; }
table.kpi tr.group td { background: #f4f6f8; font-weight: 700; }
.twocol { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 900px) { .twocol { grid-template-columns: 1fr; } }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px;
          vertical-align: -1px; }
details summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 12px; }
@media print { nav { display: none; } section { break-inside: avoid-page; } .scroll { max-height: none; } }
"""


def table(columns: Sequence[str], rows: Sequence[Sequence], numeric: Sequence[bool] | None = None,
          row_classes: Sequence[str] | None = None, scroll: bool = False, cls: str = "") -> str:
    """An HTML table; cells are already-escaped HTML strings."""
    numeric = numeric or [False] * len(columns)
    head = "".join(f'<th class="n">{esc(c)}</th>' if n else f"<th>{esc(c)}</th>" for c, n in zip(columns, numeric))
    body = []
    for k, row in enumerate(rows):
        klass = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        cells = "".join(f'<td class="n">{c}</td>' if n else f"<td>{c}</td>" for c, n in zip(row, numeric))
        body.append(f"<tr{klass}>{cells}</tr>")
    out = (f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
           if cls else f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return f'<div class="scroll">{out}</div>' if scroll else out


def figure(fig, plot_id: str, alt: str, caption: str = "") -> str:
    src = plots.svg_data_uri(fig)
    error = getattr(fig, "report_error", None)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    if error:
        cap += f'<figcaption class="bad" data-error="{esc(plot_id)}">This plot could not be drawn: {esc(error)}' \
               "</figcaption>"
    return (f'<figure class="plot" id="plot-{esc(plot_id)}"><img src="{src}" alt="{esc(alt)}" '
            f'data-plot="{esc(plot_id)}">{cap}</figure>')


def _safe_plot(make: Callable, run_or_runs, title: str):
    """A plot, or a placeholder saying it could not be drawn (a report never fails on one plot)."""
    try:
        return make(run_or_runs)
    except Exception as exc:  # noqa: BLE001 - the rest of the report is still worth having
        message = f"{type(exc).__name__}: {exc}"[:200]
        fig = plots.placeholder(title, "could not draw this plot (see the note below)")
        fig.report_error = message
        return fig


def card(label: str, value: str, sub: str = "", cls: str = "") -> str:
    klass = f" {cls}" if cls else ""
    return (f'<div class="card"><div class="label">{esc(label)}</div><div class="value{klass}">{value}</div>'
            f'<div class="sub">{sub}</div></div>')


def page(title: str, header: str, nav: Sequence[tuple[str, str]], sections: Sequence[str]) -> str:
    links = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f"<header>{header}</header><nav>{links}</nav><main>{''.join(sections)}</main>"
            "<footer>Generated by sim (plant-capacity simulator). The page is self-contained: plots are embedded, "
            "nothing is fetched.</footer></body></html>\n")


# ---------------------------------------------------------------- one run: parts


def _header(run: RunData) -> str:
    s = run.summary
    facts = [f"{num(s.get('replications'))} replication{'s' if s.get('replications') != 1 else ''}",
             f"seed {esc(s.get('seed'))}",
             f"{num(s.get('simulated_days'), 0)} days measured after {num(s.get('warmup_days'), 0)} days warm-up",
             f"{num(s.get('working_days_in_window'))} working days in the window, "
             f"{num(s.get('working_days_per_year'))} per year"]
    cal = (s.get("resolved_scenario") or {}).get("calendar") or {}
    if cal.get("working_days_per_year") is None and cal.get("start_date"):
        facts.append(f"calendar from {esc(cal['start_date'])}")
    if s.get("package_version"):
        facts.append(f"sim {esc(s['package_version'])}")
    if run.path is not None:
        facts.append(f"results folder {esc(run.path)}")
    desc = s.get("description")
    return (f"<h1>Plant capacity report: {esc(run.name)}</h1><div class=\"facts\">{' · '.join(facts)}</div>" +
            (f'<p class="description">{esc(desc)}</p>' if desc else ""))


def _bottleneck_text(b: dict) -> str:
    if not b:
        return "–"
    if b.get("line"):
        return f"{esc(b.get('shop'))}: {esc(b['line'])} line (slowest station {esc(b.get('station'))})"
    return f"{esc(b.get('shop'))}: {esc(b.get('station'))}"


def _kpi_cards(s: dict) -> str:
    t = s.get("throughput") or {}
    annual = t.get("annual_units") or {}
    target = s.get("target") or {}
    b = s.get("bottleneck") or {}
    staff = s.get("staffing") or {}
    lead = s.get("lead_time_hours") or {}
    met = target.get("met")
    badge = ("" if met is None else
             f'<span class="badge {"ok" if met else "bad"}">{"target met" if met else "target NOT met"}</span>')
    conf = ""
    if target.get("met_with_95_confidence") is not None and annual.get("ci95_low") is not None:
        conf = " (with 95% confidence)" if target["met_with_95_confidence"] else " (not with 95% confidence)"
    cards = [
        card("Annual output", num(annual.get("mean")), f"cars/yr; 95% CI {ci_text(annual)}"),
        card("Target", num(target.get("annual_units")),
             f"{pct(target.get('attainment'))} attained {badge}{esc(conf)}",
             "ok" if met else ("bad" if met is not None else "")),
        card("Bottleneck", (f"{esc(b.get('shop'))}: {esc(b['line'])} line" if b.get("line") else
                            f"{esc(b.get('shop'))}: {esc(b.get('station'))}") if b else "–",
             (f"paced line, slowest station {esc(b.get('station'))}; " if b.get("line") else "") +
             f"active {pct(b.get('active_share'))} of shift time; top in {pct(b.get('share_of_replications'), 0)} "
             "of replications", "small"),
        card("JPH (cars per shift hour)", " / ".join(num(v, 1) for v in (s.get("jph") or {}).values()) or "–",
             esc(" / ".join((s.get("jph") or {}).keys()))),
        card("Lead time", f"{num(lead.get('mean'), 1)} h",
             f"launch to end of line, p95 {num(lead.get('p95'), 1)} h; mean WIP {num(s.get('wip_mean'))} cars"),
        card("Loss against static capacity", pct(s.get("dynamic_loss")),
             "what blocking, starving and variability cost against the slowest shop's hand calculation"),
        card("Headcount", num(staff.get("headcount_total")),
             f"{num(staff.get('direct'))} direct, {num(staff.get('indirect'))} indirect"),
        card("Hours per vehicle", num(staff.get("hours_per_vehicle"), 1),
             f"paid hours; {num(staff.get('vehicles_per_employee_year'), 1)} vehicles per employee and year"),
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _warnings(s: dict) -> str:
    items = list(s.get("warnings") or [])
    under = (s.get("staffing") or {}).get("understaffed_stations") or []
    if under:
        items.append("understaffed stations (assigned crew below the work content at takt): " +
                     ", ".join(str(u if not isinstance(u, dict) else u.get("station", u)) for u in under))
    if not items:
        return ""
    lis = "".join(f"<li>{esc(w)}</li>" for w in items)
    return f'<section class="warnings" id="warnings"><h2>Warnings</h2><ul>{lis}</ul></section>'


def _output_table(s: dict) -> str:
    t = s.get("throughput") or {}
    target = s.get("target") or {}
    annual = t.get("annual_units") or {}
    rows = [["<b>plant</b>", f"<b>{num(annual.get('mean'))}</b>", ci_text(annual), num(target.get("annual_units")),
             pct(target.get("attainment"))]]
    for model, ci in (t.get("by_model_ci") or {m: {"mean": v} for m, v in (t.get("by_model") or {}).items()}).items():
        rows.append([f"model {esc(model)}", num(ci.get("mean")), ci_text(ci), "", ""])
    export = target.get("export_share")
    markets = t.get("by_market_ci") or {m: {"mean": v} for m, v in (t.get("by_market") or {}).items()}
    for market, ci in markets.items():
        goal = None
        if export is not None and target.get("annual_units"):
            goal = (export if market == "export" else 1 - export) * target["annual_units"]
        att = pct(ci["mean"] / goal) if goal and ci.get("mean") is not None else ""
        rows.append([f"market {esc(market)}", num(ci.get("mean")), ci_text(ci), "" if goal is None else num(goal),
                     att])
    if t.get("scrapped_annual"):
        rows.append(["scrapped", num(t["scrapped_annual"]), "", "", ""])
    return table(["", "cars / year", "95% CI", "target", "attainment"], rows, [False, True, True, True, True])


def _shop_table(s: dict) -> str:
    rows = []
    quality = s.get("quality") or {}
    for shop, jph in (s.get("jph") or {}).items():
        detail = (s.get("static_capacity_detail") or {}).get(shop) or {}
        q = quality.get(shop)
        fpy = (1 - q["failed"] / q["inspected"]) if q and q.get("inspected") else None
        rows.append([esc(shop), num(jph, 1), ci_text((s.get("jph_ci") or {}).get(shop), 2),
                     num((s.get("static_capacity") or {}).get(shop)), esc(detail.get("limiting_station", "")),
                     num(detail.get("cars_per_hour"), 1), num(detail.get("net_hours_per_year")),
                     pct(fpy) if fpy is not None else "–"])
    return table(["shop", "JPH simulated", "JPH 95% CI", "static capacity / yr", "static limit (station)",
                  "static limit cars/h", "net shift h / yr", "first pass (simulated)"], rows,
                 [False, True, True, True, False, True, True, True])


def _stations_table(run: RunData) -> str:
    st = run.stations
    if st.empty:
        return "<p class=\"note\">No stations table.</p>"
    states = plots.state_columns(st)
    b = run.summary.get("bottleneck") or {}
    cols = ["shop", "station", "kind", "line", "servers", "completions"] + \
        [plots.state_label(s).split(" (")[0] for s in states] + ["active (of shift)", "downs", "static cars/h"]
    numeric = [False, False, False, False, True, True] + [True] * len(states) + [True, True, True]
    rows, classes = [], []
    for row in st.to_dict("records"):
        cells = [esc(row.get("shop")), esc(row.get("station")), esc(row.get("kind", "")),
                 esc("" if _missing(row.get("line")) else row.get("line")), num(row.get("servers")),
                 num(row.get("completions"))]
        cells += [pct(row.get(f"share_{s}")) for s in states]
        cells += [pct(row.get("active_share")), num(row.get("downs")), num(row.get("static_cars_per_hour"), 1)]
        rows.append(cells)
        hot = row.get("shop") == b.get("shop") and (row.get("station") == b.get("station") or
                                                     (b.get("line") and row.get("line") == b.get("line")))
        classes.append("hot" if hot else "")
    swatches = " ".join(f'<span class="swatch" style="background:{plots.state_colour(s)}"></span>'
                        f"{esc(plots.state_label(s))}" for s in states)
    return (f'<p class="note">Shares of the measured window (calendar time). {swatches}. '
            "Highlighted: the bottleneck (its whole paced line).</p>" +
            table(cols, rows, numeric, classes, scroll=True))


def _buffers_table(run: RunData) -> str:
    bf = run.buffers
    if bf.empty:
        return "<p class=\"note\">No buffers table.</p>"
    stores = {s["name"] for s in (run.summary.get("resolved_scenario") or {}).get("stores") or []}
    rows, classes = [], []
    for row in bf.to_dict("records"):
        name = str(row.get("buffer"))
        kind = "store" if name in stores else ("re-entry lane" if name.endswith(".reentry") else "buffer")
        cap = row.get("capacity")
        rows.append([esc(row.get("shop")), esc(name), kind, "unbounded" if _missing(cap) else num(cap),
                     num(row.get("mean_level"), 1), num(row.get("max_level")), pct(row.get("share_full")),
                     pct(row.get("share_empty"))])
        classes.append("hot" if kind == "store" else "")
    return table(["shop", "buffer (in front of)", "kind", "capacity", "mean level", "max level", "time full",
                  "time empty"], rows, [False, False, False, True, True, True, True, True], classes, scroll=True)


def _staffing_tables(run: RunData) -> str:
    st = run.staffing
    s = run.summary.get("staffing") or {}
    if st.empty or st["headcount"].sum() == 0:
        out = "<p class=\"note\">This scenario names no crews or staffing ratios: headcount 0.</p>"
    else:
        shifts = sorted(st["shift"].unique(), key=str)
        pivot = st.pivot_table(index=["shop", "role"], columns="shift", values="headcount", aggfunc="sum",
                               fill_value=0, sort=False)
        groups = st.drop_duplicates(["shop", "role"]).set_index(["shop", "role"])["group"]
        rows = [[esc(shop), esc(role), esc(groups.get((shop, role), "")), *[num(r.get(k, 0)) for k in shifts],
                 num(r.sum())] for (shop, role), r in pivot.iterrows()]
        totals = st.groupby("shift")["headcount"].sum()
        rows.append(["total", "", "", *[num(totals.get(k, 0)) for k in shifts], num(totals.sum())])
        out = table(["shop", "role", "group", *[f"shift {k}" for k in shifts], "total"], rows,
                    [False, False, False, *[True] * len(shifts), True], [""] * (len(rows) - 1) + ["total"],
                    scroll=True)
    bench = [["<b>this scenario (model)</b>", num(s.get("headcount_total")), num(s.get("hours_per_vehicle"), 1),
              num(s.get("vehicles_per_employee_year"), 1), "computed from the scenario"]]
    for b in s.get("benchmarks") or []:
        bench.append([esc(b.get("label")), num(b.get("headcount")), num(b.get("hours_per_vehicle"), 1),
                      num(b.get("vehicles_per_employee_year"), 1), esc(b.get("source", ""))])
    out += "<h3>Against public figures</h3>" + table(
        ["", "headcount", "paid hours / vehicle", "vehicles / employee / yr", "source"], bench,
        [False, True, True, True, False])
    out += ('<p class="note">The model counts what the scenario\'s stations, shifts and staffing ratios name; '
            "a public figure may cover more (other brands, stamping, sales).</p>")
    return out


def _pools_table(run: RunData) -> str:
    pools = getattr(run, "pools", None)
    if pools is None or pools.empty:
        return ""
    keys = [c for c in ("shop", "pool", "size") if c in pools.columns]
    figures = [c for c in ("mean_present", "utilisation", "labour_wait_s", "cars_served") if c in pools.columns]
    table_ = pools.groupby(keys, sort=False)[figures].mean().reset_index() if keys else pools
    rows = []
    for row in table_.to_dict("records"):
        rows.append([esc(row.get(k)) for k in keys] +
                    [num(row.get("mean_present"), 2) if c == "mean_present" else
                     pct(row.get("utilisation")) if c == "utilisation" else
                     num(row.get("labour_wait_s", 0) / 3600, 0) if c == "labour_wait_s" else
                     num(row.get(c)) for c in figures])
    labels = {"mean_present": "mean present", "utilisation": "utilisation (of present)",
              "labour_wait_s": "stations waiting for it (h)", "cars_served": "cars served"}
    return ("<h3>Labour pools</h3>" + table(keys + [labels[c] for c in figures], rows,
                                              [False] * len(keys) + [True] * len(figures)) +
            '<p class="note">Mean over replications. Waiting hours add up over the stations that wait.</p>')


def _workload_table(run: RunData) -> str:
    wl = run.workload
    if wl is None or wl.empty:
        return ""
    cols = list(wl.columns)
    numeric = [pd.api.types.is_numeric_dtype(wl[c]) for c in cols]
    rows = [[num(v, 2) if n and not isinstance(v, str) else esc(v) for v, n in zip(r, numeric)]
            for r in wl.itertuples(index=False)]
    return ("<details><summary>Workload per station (operators needed at takt against assigned)</summary>" +
            table([c.replace("_", " ") for c in cols], rows, numeric, scroll=True) + "</details>")


# ---------------------------------------------------------------- one run


def run_report_html(run: RunData) -> str:
    """The report of one run as a self-contained HTML page."""
    s = run.summary
    plot = {
        "output": _safe_plot(plots.output_plot, run, "Output"),
        "flow": _safe_plot(plant_flow_plot, run, "Plant flow"),
        "states": _safe_plot(plots.station_states_plot, run, "Station states"),
        "stores": _safe_plot(plots.store_levels_plot, run, "Store levels"),
        "headcount": _safe_plot(plots.headcount_plot, run, "Headcount"),
    }
    per_year = s.get("working_days_per_year")
    target = (s.get("target") or {}).get("annual_units")
    sections = [
        f'<section id="summary"><h2>Summary</h2>{_kpi_cards(s)}</section>',
        _warnings(s),
        '<section id="output"><h2>Output against target</h2>' + _output_table(s) +
        figure(plot["output"], "output", "Cars completed per period by model against the target",
               (f"Target line: {num(target)} cars a year ÷ {num(per_year)} working days a year, times the working "
                "days of each period." if target and per_year else "")) + "</section>",
        '<section id="flow"><h2>Plant flow</h2>' +
        figure(plot["flow"], "flow", "Plant flow: shops, lines, conveyors, buffers, stores and quality loops",
               "Drawn from the resolved scenario; 'active' is the simulated share of shift time working or down.") +
        "</section>",
        '<section id="shops"><h2>Shops</h2>' + _shop_table(s) +
        f'<p class="note">Static capacity: the hand calculation (slowest station × net shift hours a year). '
        f'Loss against the slowest shop\'s static capacity: {pct(s.get("dynamic_loss"))}.</p></section>',
        '<section id="stations"><h2>Station states</h2>' +
        figure(plot["states"], "states", "Share of time in each state per station, by shop",
               "A bar per station in flow order. Green is work; orange and yellow are time lost to the neighbours; "
               "red is repair.") + _stations_table(run) + "</section>",
        '<section id="stores"><h2>Stores and buffers</h2>' +
        figure(plot["stores"], "stores", "Store levels over time",
               "Hourly samples of the first replication.") + _buffers_table(run) + "</section>",
        '<section id="staffing"><h2>Staffing</h2>' +
        figure(plot["headcount"], "headcount", "Headcount by shop and shift") + _staffing_tables(run) +
        _pools_table(run) + _workload_table(run) + "</section>",
    ]
    nav = [("summary", "Summary")] + ([("warnings", "Warnings")] if _warnings(s) else []) + [
        ("output", "Output"), ("flow", "Plant flow"), ("shops", "Shops"), ("stations", "Stations"),
        ("stores", "Stores & buffers"), ("staffing", "Staffing")]
    return page(f"sim report: {run.name}", _header(run), nav, [x for x in sections if x])


# ---------------------------------------------------------------- several runs


def _get(d: dict, path: str):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _delta(value, reference, kind: str) -> str:
    """The change against the first run: relative for counts, in points for shares."""
    if _missing(value) or _missing(reference) or not isinstance(value, (int, float)) or isinstance(value, bool):
        return ""
    diff = float(value) - float(reference)
    if abs(diff) < 1e-12:
        return ' <span class="delta">(=)</span>'
    if kind == "share":
        text = f"{100 * diff:+.1f} pts"
    elif reference:
        text = f"{100 * diff / abs(float(reference)):+.1f}%"
    else:
        return ""
    return f' <span class="delta">({text})</span>'


def _kpi_rows(runs: Sequence[RunData]) -> list[tuple[str, list[str], str]]:
    """(label, cells, row class) for the KPI table; groups as header rows. Cells of the second and later
    runs carry the change against the first run."""
    rows: list[tuple[str, list[str], str]] = []

    def group(label: str) -> None:
        rows.append((label, [""] * len(runs), "group"))

    def add(label: str, fmt: Callable[[dict], str]) -> None:
        rows.append((label, [fmt(r.summary) for r in runs], ""))

    def value(label: str, path: str | Callable[[dict], object], digits: int = 0, kind: str = "count") -> None:
        get = path if callable(path) else (lambda s: _get(s, path))
        values = [get(r.summary) for r in runs]
        show = pct if kind == "share" else (lambda v: num(v, digits))
        cells = [show(v) + (_delta(v, values[0], kind) if k else "") for k, v in enumerate(values)]
        rows.append((label, cells, ""))

    def union(path: str) -> list[str]:
        return list(dict.fromkeys(k for r in runs for k in (_get(r.summary, path) or {})))

    group("Output")
    value("annual output (cars/yr)", "throughput.annual_units.mean")
    add("95% confidence interval", lambda s: ci_text(_get(s, "throughput.annual_units")))
    value("target (cars/yr)", "target.annual_units")
    value("attainment", "target.attainment", kind="share")
    add("target met", lambda s: {True: '<span class="ok">yes</span>', False: '<span class="bad">no</span>'}
        .get(_get(s, "target.met"), "–") + {True: " (95% conf.)", False: ""}.get(
            _get(s, "target.met_with_95_confidence"), ""))
    for model in union("throughput.by_model"):
        value(f"model {esc(model)}", lambda s, m=model: (_get(s, "throughput.by_model") or {}).get(m))
    for market in union("throughput.by_market"):
        value(f"market {esc(market)}", lambda s, m=market: (_get(s, "throughput.by_market") or {}).get(m))
    group("Shops")
    for shop in union("jph"):
        value(f"JPH {esc(shop)}", lambda s, sh=shop: (_get(s, "jph") or {}).get(sh), 1)
    for shop in union("static_capacity"):
        value(f"static capacity {esc(shop)} (cars/yr)", lambda s, sh=shop: (_get(s, "static_capacity") or {}).get(sh))
    value("loss against static capacity", "dynamic_loss", kind="share")
    add("bottleneck", lambda s: _bottleneck_text(_get(s, "bottleneck") or {}))
    value("bottleneck active share", "bottleneck.active_share", kind="share")
    value("lead time mean (h)", "lead_time_hours.mean", 1)
    value("lead time p95 (h)", "lead_time_hours.p95", 1)
    value("mean WIP (cars)", "wip_mean")
    group("Staffing")
    value("headcount", "staffing.headcount_total")
    add("direct / indirect", lambda s: f"{num(_get(s, 'staffing.direct'))} / {num(_get(s, 'staffing.indirect'))}")
    for shop in union("staffing.by_shop"):
        value(f"headcount {esc(shop)}", lambda s, sh=shop: (_get(s, "staffing.by_shop") or {}).get(sh))
    value("paid hours per vehicle", "staffing.hours_per_vehicle", 1)
    value("vehicles per employee and year", "staffing.vehicles_per_employee_year", 1)
    group("Run")
    add("replications", lambda s: num(_get(s, "replications")))
    add("seed", lambda s: esc(_get(s, "seed")))
    add("days measured (warm-up)", lambda s: f"{num(_get(s, 'simulated_days'))} ({num(_get(s, 'warmup_days'))})")
    add("working days per year", lambda s: num(_get(s, "working_days_per_year")))
    add("warnings", lambda s: esc("; ".join(s.get("warnings") or [])) or "none")
    return rows


def comparison_report_html(runs: Sequence[RunData]) -> str:
    """Two or more runs side by side as a self-contained HTML page."""
    runs = list(runs)
    if len(runs) < 2:
        raise ValueError("a comparison needs at least two runs")
    plot = {
        "output": _safe_plot(plots.compare_output_plot, runs, "Output per week"),
        "annual": _safe_plot(plots.compare_annual_plot, runs, "Annual output"),
        "loaded": _safe_plot(plots.compare_loaded_plot, runs, "Most loaded stations"),
        "stores": _safe_plot(plots.compare_store_plot, runs, "Store levels"),
        "headcount": _safe_plot(plots.compare_headcount_plot, runs, "Headcount"),
    }
    kpis = _kpi_rows(runs)
    head = ["KPI"] + [r.name for r in runs]
    body = [[f"<b>{label}</b>" if cls == "group" else label, *cells] for label, cells, cls in kpis]
    kpi_table = table(head, body, [False] + [True] * len(runs), [cls for _, _, cls in kpis], cls="kpi")
    names = ", ".join(r.name for r in runs)
    listing = "".join(
        f'<li><span class="swatch" style="background:{plots.run_colour(i)}"></span><b>{esc(r.name)}</b>'
        f"{' – ' + esc(r.summary.get('description')) if r.summary.get('description') else ''}"
        f"{' (' + esc(r.path) + ')' if r.path is not None else ''}</li>" for i, r in enumerate(runs))
    header = (f"<h1>Plant capacity comparison: {esc(names)}</h1>"
              f'<div class="facts">{len(runs)} runs; changes in brackets are against the first run, '
              f"{esc(runs[0].name)}</div>")
    warnings = [f"{r.name}: {w}" for r in runs for w in r.summary.get("warnings") or []]
    sections = [
        f'<section id="runs"><h2>Runs</h2><ul>{listing}</ul></section>',
        (f'<section class="warnings" id="warnings"><h2>Warnings</h2><ul>'
         f'{"".join(f"<li>{esc(w)}</li>" for w in warnings)}</ul></section>' if warnings else ""),
        f'<section id="kpis"><h2>Key figures</h2>{kpi_table}</section>',
        '<section id="output"><h2>Output</h2>' +
        figure(plot["annual"], "annual", "Annual output per run with confidence interval and target") +
        figure(plot["output"], "output-weekly", "Output per week per run with target") + "</section>",
        '<section id="loaded"><h2>Most loaded stations</h2>' +
        figure(plot["loaded"], "loaded", "State shares of the ten most loaded stations per run") + "</section>",
        '<section id="stores"><h2>Stores</h2>' +
        figure(plot["stores"], "stores", "Store levels per run overlaid") + "</section>",
        '<section id="staffing"><h2>Headcount</h2>' +
        figure(plot["headcount"], "headcount", "Headcount per run by shop") + "</section>",
    ]
    nav = [("runs", "Runs"), ("kpis", "Key figures"), ("output", "Output"), ("loaded", "Most loaded"),
           ("stores", "Stores"), ("staffing", "Headcount")]
    return page(f"sim comparison: {names}", header, nav, [x for x in sections if x])
