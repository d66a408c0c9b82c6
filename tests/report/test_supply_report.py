"""The kit supply in the reports: the console table fits 100 columns, the HTML page has its section and plot,
inventory.csv is written and read back, and `compare` judges stockouts and moved launches paired."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

import sim
from sim.analysis.compare import compare
from sim.report.console import print_report
from sim.report.html import run_report_html
from sim.report.parts.supply import supply_rows

SMALL = Path(__file__).parents[1] / "small.yaml"
SUPPLY = ("supply={look_ahead: 1, routes: {"
          "china_rail: {lead_time: {dist: normal, mean: 4 d, sd: 1 d}, departures: {every: 1 d}, containers: 20, "
          "border_delay: {chance: 0.1, time: 2 d}, disruptions: {per_month: 2, length: 1 d}}, "
          "local_trucks: {lead_time: 3 h, departures: {every: 1 d, first: 5 h}, local: true}}, kits: {"
          "body: {route: china_rail, per_container: 12, lot: 24, value: 3000, safety_stock: 1 d, "
          "order: {policy: periodic, every: 2 d}, handling: {per_container: 45 min, per_kit: 15 min}}, "
          "local_parts: {route: local_trucks, taken_at: paint, per_container: 24, lot: 48, value: 1000, "
          "safety_stock: 0.5 d, order: {policy: reorder_point}, handling: {per_kit: 5 min}}}}")


@pytest.fixture(scope="module")
def supplied():
    """small.yaml with short kit stocks on a slow, disrupted route: stockouts and moved launches."""
    scenario = sim.load_scenario(SMALL, [SUPPLY, "horizon={days: 30, warmup_days: 2}"])
    return sim.run(scenario, replications=2)


def test_console_table_fits_100_columns(supplied):
    buffer = io.StringIO()
    print_report(supplied, Console(file=buffer, width=100))
    text = buffer.getvalue()
    start = text.index("Kit supply (launch look-ahead 1)")
    table = text[start:text.index("Kit stockouts:", start)]
    assert max(len(line) for line in table.splitlines()) <= 100
    # a row a kit and a row a model, names whole (no folded line)
    for name in ("body", "local_parts (local)", "  Tiggo 2 Pro", "  Tiggo 4 Pro", "  Tiggo 7"):
        assert f"│{name} " in table
    assert len(table.splitlines()) == 4 + 2 * 4 + 1  # title, header (3 lines), 8 rows, bottom line


def test_summary_rows_and_values_agree(supplied):
    s = supplied.summary["supply"]
    rows = supply_rows(supplied.summary)
    body = s["kits"]["body"]["models"]
    shown, kit = {}, None
    for row in rows.rows:  # a kit's row, then its models' rows: keyed (kit, model)
        kit = row[0].split(" (")[0] if not row[0].startswith(" ") else kit
        shown[kit, row[0].strip()] = row
    assert shown["local_parts", "Tiggo 7"][5] == \
        s["kits"]["local_parts"]["models"]["Tiggo 7"]["stockout_hours"]["mean"]
    assert shown["body", "body"][1] == "launch"
    assert s["stockout_hours"]["mean"] > 0 and s["launches_moved"]["mean"] > 0
    values = supplied.summary["replication_values"]
    assert len(values["supply.stockout_hours"]) == 2
    assert sum(values["supply.stockout_hours"]) / 2 == pytest.approx(s["stockout_hours"]["mean"], abs=0.01)
    assert body["Tiggo 7"]["plan_rate"] == pytest.approx(90_000 * 0.30 / 246, abs=1e-3)
    assert s["localisation_share"]["plant"] == pytest.approx(0.25)  # 1,000 of 4,000 a car


def test_inventory_table_is_written_and_read_back(supplied, tmp_path):
    folder, _ = sim.write(supplied, tmp_path)
    inventory = (folder / "inventory.csv").read_text().splitlines()
    assert inventory[0] == "replication,day,date,kit,model,on_hand,days_of_cover"
    # a sample a day of the 32 simulated days, for each of 6 stocks, in each of 2 replications
    assert len(inventory) == 1 + 32 * 6 * 2
    back = sim.read_run(folder)
    assert back.optional["inventory"].shape == supplied.optional["inventory"].shape
    assert json.loads((folder / "summary.json").read_text())["supply"] == supplied.summary["supply"]


def test_html_has_the_kit_supply_section_and_plot(supplied):
    page = run_report_html(supplied)
    assert '<section id="supply"><details><summary><h2>Kit supply</h2>' in page and 'href="#supply"' in page
    assert 'data-plot="inventory"' in page and "could not be drawn" not in page


def test_compare_pairs_stockouts_and_moved_launches(supplied):
    summary = supplied.summary
    other = json.loads(json.dumps(summary))
    other["replication_values"]["supply.stockout_hours"] = [v + 10 for v in summary["replication_values"][
        "supply.stockout_hours"]]
    other["supply"]["stockout_hours"]["mean"] += 10
    table = compare([summary, other], ["a", "b"])
    rows = {row["kpi"]: row for row in table["kpis"]}
    stockouts = rows["kit stockout hours"]["differences"][0]
    assert stockouts["diff"] == pytest.approx(10) and stockouts["method"].startswith("paired t")
    assert stockouts["ci95_low"] == pytest.approx(10) and stockouts["significant"]
    assert "launches moved (look-ahead)" in rows
