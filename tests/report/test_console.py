"""The console: the short answer (with and without a loss breakdown) and tables that fit 80 and 120 columns
without cutting a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

import sim
from sim.report.answer import answer, limited_line
from sim.report.cells import EMPTY_NOTE, Column, Rows
from sim.report.console import render, sectioned
from sim.report.fit import fit, shorten

ALMATY = Path(__file__).parents[2] / "scenarios" / "almaty.yaml"

SUMMARY = {
    "scenario": "plant", "replications": 5, "seed": 7, "simulated_days": 120, "warmup_days": 7,
    "throughput": {"annual_units": {"mean": 80_200.0, "ci95_low": 79_100.0, "ci95_high": 81_300.0, "n": 5}},
    "target": {"annual_units": 90_000, "attainment": 0.8911, "met": False, "met_with_95_confidence": False},
    "bottleneck": {"shop": "assembly", "station": "ch_06", "line": "chassis", "active_share": 0.93,
                   "share_of_replications": 1.0},
    "staffing": {"headcount_total": 1421, "direct": 642, "hours_per_vehicle": 30.75},
    "warnings": ["the first warning " * 12, "a second one", "a third"],
}
KITS = {"cause": "kit stockouts", "where": "body launch", "group": "kits",
        "cars": {"mean": 9800.0, "ci95_low": 8900.0, "ci95_high": 10700.0, "n": 5}}


def test_the_answer_without_a_loss_breakdown_names_the_bottleneck_station():
    lines = answer(SUMMARY, "results/plant/report.html")
    assert lines == [
        "Run: plant, 5 replications (seed 7), 120 days measured after 7 days warm-up",
        "Output: 80,200 cars/yr (95% CI 79,100 – 81,300) against a target of 90,000: 89.1% — NOT met",
        "Limited by: assembly chassis line (slowest station ch_06) (the bottleneck station; this run has no "
        "breakdown of losses)",
        "Bottleneck: assembly chassis line (slowest station ch_06), active 93.0% of shift time, top in 100.0% of "
        "replications",
        "People: 1,421 (642 direct), 30.8 paid hours per car",
        lines[5],
        "Report: results/plant/report.html"]
    assert lines[5].startswith("Warnings: 3: the first warning") and "…; a second one; and 1 more (see --detail)" \
        in lines[5] and len(lines[5]) < 170


def test_the_answer_with_a_loss_breakdown_names_the_largest_loss_in_cars():
    summary = {**SUMMARY, "losses": {"rows": [KITS], "largest": KITS, "nameplate": {"mean": 103_297.0},
                                     "output": {"mean": 80_200.0}}}
    assert limited_line(summary) == ("kit stockouts at body launch: −9,800 cars/yr (95% CI 8,900 – 10,700), of 23,097 "
                                     "lost from a nameplate of 103,297")
    assert "Limited by: kit stockouts at body launch: −9,800 cars/yr" in answer(summary)[2]
    # kits short at two places: the group's whole loss beside the largest one (not when it is the same)
    summary["losses"]["by_group"] = {"kits": {"mean": 12_300.0}}
    assert limited_line(summary) == ("kit stockouts at body launch: −9,800 cars/yr (95% CI 8,900 – 10,700), kit "
                                     "stockouts in all −12,300, of 23,097 lost from a nameplate of 103,297")
    assert any(line.startswith("Bottleneck: assembly chassis line") for line in answer(summary))


def test_names_shorten_by_the_fixed_list_then_in_the_middle_and_stay_unique():
    assert shorten("ch_06_marriage_powertrain", 17) == "ch_06_marr_ptrain"
    assert shorten("ch_06_marriage_powertrain", 16) == "ch_06_marr…train"
    assert shorten("in sequence", 8) == "in sequence"  # short words are left alone
    table = Rows("Feeders", [Column("feeder"), Column("mean", "decimal1")])
    for name in ("body.side_frames_left", "body.side_frames_right", "body.roof"):
        table.add([name, 1.0])
    (fitted,) = fit(table, 20)  # 20 columns: 5 for the rules, 4 for the figure, 11 for the name
    assert [row[0] for row in fitted.cells] == ["body.…_left", "body.…right", "body.roof"]
    assert fitted.widths == [11, 4]


@pytest.fixture(scope="module")
def almaty_short():
    return sim.run(sim.load_scenario(ALMATY, ["horizon={days: 20, warmup_days: 2}"]), replications=1)


@pytest.mark.parametrize("width", [80, 120])
def test_every_table_of_a_real_run_fits_and_no_word_is_cut(almaty_short, width):
    tables = [table for _, table in sectioned(almaty_short) if table is not None]
    assert len(tables) >= 12
    for table in tables:
        console = Console(record=True, width=width, file=open("/dev/null", "w"))
        console.print(render(table, console))
        text = console.export_text()
        assert max(len(line) for line in text.splitlines()) <= width, table.title
        # every word of every cell shown, and every heading word, whole on some line of the table
        for part in fit(table, width):
            words = {w for row in part.cells for c in row for w in c.split()} | \
                {w for h in part.headings for w in h.split()}
            cut = [w for w in words if w not in text]
            assert not cut, (table.title, cut[:5])
    splits = [table.title for table in tables if len(fit(table, width)) > 1]
    assert ("Most loaded stations" in " ".join(splits)) == (width == 80)  # split at 80, one table at 120


def printed(table: Rows, width: int = 80) -> str:
    console = Console(record=True, width=width, file=open("/dev/null", "w"))
    console.print(render(table, console))
    return " ".join(console.export_text().split())  # the note wraps over lines


def test_a_table_with_an_empty_cell_says_why_under_it():
    table = Rows("Output by model", [Column("model"), Column("target", "count")], caption="cars a year")
    table.add(["A", 50_000])
    assert printed(table).endswith("cars a year")
    table.add(["B", None])
    assert printed(table).endswith("cars a year " + EMPTY_NOTE)


def test_a_split_table_names_its_rows_alike_in_every_part():
    table = Rows("Stations", [Column("shop"), Column("station")] + [Column(f"figure {k}", "count") for k in range(8)])
    table.add(["chassis", "ch_06_marriage_powertrain"] + [123_456] * 8)
    table.add(["chassis", "ch_07_marriage_rear_axle"] + [123_456] * 8)
    # at 80 columns the names take 7 + 14 (words cut to 14 before a split) and each figure 7 ('123,456'): six
    # figures fill 80 - 8 x 2 - 1 = 63 columns, the last two go to a second part. The first part leaves the
    # station 63 - 7 - 6 x 7 = 14 characters: 'ch_06_marr_ptrain' cut in the middle to 8 + '…' + 5; the second
    # has room for the whole names but shortens them alike, so its rows read as the first's
    first, second = fit(table, 80)
    assert [len(first.headings), len(second.headings)] == [8, 4]
    assert [row[:2] for row in first.cells] == [row[:2] for row in second.cells] == [
        ["chassis", "ch_06_ma…train"], ["chassis", "ch_07_ma…_axle"]]
    assert second.widths[1] == 14
