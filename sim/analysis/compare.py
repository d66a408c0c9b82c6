"""Comparing runs: KPIs side by side, differences with confidence intervals, what changed.

The difference of a KPI between a run and the first run gets a 95% interval:
- paired (t interval of the per-replication differences) when both runs used the
  same seed and replication count: their replications drew the same random
  numbers stream by stream (common random numbers), which makes the interval
  much sharper;
- otherwise Welch's t interval for two independent means;
- a run of one replication cannot judge significance, and says so.
A difference is significant when its interval excludes zero. KPIs computed
without randomness (headcount, static capacity) differ exactly.
"""

from __future__ import annotations

from .kinds import COUNT, DECIMAL1, HOURS, PERCENT, TEXT
from . import components
from .losses import GROUPS
from .sequence_costs import kpis as sequence_kpis
from .stats import paired_difference, welch_difference

def kpi_rows(summary: dict) -> list[tuple[str, object, str | None, str]]:
    """(kpi name, value, key of its per-replication values, kind of value) of one run."""
    t = summary["throughput"]
    st = summary.get("staffing", {})
    rows = [("annual output", t["annual_units"]["mean"], "annual_units", COUNT)]
    rows += [(f"output {m}", v, f"by_model.{m}", COUNT) for m, v in t["by_model"].items()]
    rows += [(f"output {m}", v, f"by_market.{m}", COUNT) for m, v in t["by_market"].items()]
    rows.append(("attainment", summary["target"]["attainment"], "attainment", PERCENT))
    rows += [(f"JPH {shop}", v, f"jph.{shop}", DECIMAL1) for shop, v in summary["jph"].items()]
    rows += [(f"OEE {shop}", v["oee"], f"oee.{shop}", PERCENT)
             for shop, v in summary.get("oee", {}).get("shops", {}).items()]
    kinds = {"decimal": DECIMAL1, "share": PERCENT}
    rows += [(name, value, key, kinds[kind]) for name, value, key, kind in
             sequence_kpis(summary.get("replication_values", {}))]
    rows += components.kpis(summary)
    b = summary["bottleneck"]
    rows.append(("bottleneck", f"{b['shop']}.{b.get('line') or b['station']}", None, TEXT))
    rows.append(("lead time mean", summary["lead_time_hours"]["mean"], "lead_time_hours.mean", HOURS))
    rows.append(("lead time p95", summary["lead_time_hours"]["p95"], None, HOURS))
    rows.append(("mean WIP (cars)", summary.get("wip_mean"), None, COUNT))
    rows.append(("dynamic loss", summary.get("dynamic_loss"), None, PERCENT))
    rows += _loss_rows(summary.get("losses"))
    if st:
        rows.append(("headcount", st["headcount_total"], "exact", COUNT))
        rows.append(("hours per vehicle", st["hours_per_vehicle"], "hours_per_vehicle", DECIMAL1))
        rows.append(("vehicles per employee", st["vehicles_per_employee_year"], "vehicles_per_employee", DECIMAL1))
    rows += [(f"static capacity {shop}", v, "exact", COUNT) for shop, v in summary.get("static_capacity", {}).items()]
    return rows


LOSS = "loss: "
"""The compare rows of the waterfall's groups start so: cars a year lost to each group."""


def _loss_rows(losses: dict | None) -> list:
    """The waterfall in compare: the nameplate, then every group's cars a year (0 for a group the run has no loss
    in, so that a cause one run has and the other has not is compared too)."""
    if not losses:
        return []
    rows = [("nameplate (ideal rate x calendar)", losses["nameplate"]["mean"], "exact", COUNT)]
    by_group = losses.get("by_group", {})
    return rows + [(f"{LOSS}{label}", by_group[g]["mean"] if g in by_group else 0.0, f"losses.{g}", COUNT)
                   for g, label in GROUPS.items()]


def replication_values(summary: dict, key: str) -> list[float] | None:
    """Per-replication values of a KPI, derived where the summary keeps the ingredients."""
    values = summary.get("replication_values", {})
    if key in values:
        return [v for v in values[key] if v is not None] or None
    if key.startswith("losses.") and summary.get("losses"):  # no loss of that group in any replication
        return [0.0] * summary["replications"]
    annual = values.get("annual_units")
    if not annual:
        return None
    st = summary.get("staffing", {})
    if key == "attainment":
        return [a / summary["target"]["annual_units"] for a in annual]
    if key == "hours_per_vehicle" and st.get("paid_hours_per_year"):
        return [st["paid_hours_per_year"] / a for a in annual if a > 0]
    if key == "vehicles_per_employee" and st.get("headcount_total"):
        return [a / st["headcount_total"] for a in annual]
    return None


def difference(base: dict, other: dict, key: str | None, base_value, other_value, confidence: float = 0.95) -> dict:
    """Difference other - base of one KPI with its interval and method."""
    if key is None or base_value is None or other_value is None or isinstance(base_value, str):
        return {"diff": None, "ci95_low": None, "ci95_high": None, "significant": None, "method": "not compared"}
    diff = other_value - base_value
    if key == "exact":
        return {"diff": diff, "ci95_low": diff, "ci95_high": diff, "significant": diff != 0, "method": "exact"}
    a, b = replication_values(base, key), replication_values(other, key)
    if not a or not b or len(a) < 2 or len(b) < 2:
        one = base.get("replications") == 1 or other.get("replications") == 1
        return {"diff": diff, "ci95_low": None, "ci95_high": None, "significant": None,
                "method": "cannot judge: a run has 1 replication" if one else "cannot judge: no per-replication values"}
    paired = base.get("seed") == other.get("seed") and len(a) == len(b)
    if paired:
        centre, half = paired_difference(a, b, confidence)
        method = f"paired t (common random numbers, {len(a)} replications)"
    else:
        centre, half = welch_difference(a, b, confidence)
        method = "Welch t"
    low, high = centre - half, centre + half
    return {"diff": diff, "ci95_low": low, "ci95_high": high,
            "significant": bool(low > 0 or high < 0), "method": method}


def compare(summaries: list[dict], names: list[str], confidence: float = 0.95,
            scenarios: list[dict] | None = None) -> dict:
    """KPI table of several runs against the first, and the scenario changes."""
    per_run = [{kpi: (value, key, kind) for kpi, value, key, kind in kpi_rows(s)} for s in summaries]
    order: list[str] = []
    for rows in per_run:
        order += [k for k in rows if k not in order]
    base = summaries[0]
    kpis = []
    for kpi in order:
        values = [rows.get(kpi, (None, None))[0] for rows in per_run]
        if kpi.startswith(LOSS) and not any(values):
            continue  # a group no run lost a car to
        key, kind = next((rows[kpi][1:] for rows in per_run if kpi in rows), (None, TEXT))
        diffs = [difference(base, s, key, values[0], v, confidence) for s, v in zip(summaries[1:], values[1:])]
        kpis.append({"kpi": kpi, "kind": kind, "values": values, "differences": diffs})
    scenarios = scenarios or [{} for _ in summaries]  # the resolved scenarios, from the runs' provenance
    changes = [scenario_changes(scenarios[0], other) for other in scenarios[1:]]
    return {"runs": names, "seeds": [s.get("seed") for s in summaries],
            "replications": [s.get("replications") for s in summaries], "kpis": kpis, "changes": changes}


def scenario_changes(a, b, path: str = "") -> list[dict]:
    """Differences between two resolved scenarios as YAML paths with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            if key == "description":
                continue
            sub = f"{path}.{key}" if path else str(key)
            out += scenario_changes(a.get(key), b.get(key), sub)
        return out
    if _named(a) and _named(b):
        by_a, by_b = {_name(x): x for x in a}, {_name(x): x for x in b}
        out = []
        for name in list(by_a) + [n for n in by_b if n not in by_a]:
            out += scenario_changes(by_a.get(name), by_b.get(name), f"{path}[{name}]")
        return out
    return [] if a == b else [{"path": path, "from": a, "to": b}]


def _name(item: dict) -> str:
    """A list item's name: a station's (or a branch's), or a parallel section's."""
    return item["name"] if "name" in item else item["parallel"]


def _named(value) -> bool:
    return isinstance(value, list) and bool(value) and \
        all(isinstance(x, dict) and ("name" in x or "parallel" in x) for x in value)
