"""How long a run's report.html takes to draw: each figure made and drawn on one core, then the whole page as
`sim run` draws it (its figures forked over the cores). A measurement, not a test.

    python -m sim run scenarios/almaty.yaml && python benchmarks/report_profile.py    # results/almaty
    python benchmarks/report_profile.py results/kostanay
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.report import figures, html, rendered_files  # noqa: E402
from sim.results.folder import read_run  # noqa: E402

if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "results" / "almaty")
    if not (folder / "summary.json").exists():
        sys.exit(f"{folder}: no run there (make one with python -m sim run)")
    run = read_run(folder)
    figures._pending = []  # the page's plots collected as drawn_together collects them, drawn one by one below
    try:
        html.rendered(run, html.arranged(html.CORE, html.component_sections()))
        plots = [plot for plot, _ in figures._pending]
    finally:
        figures._pending = None
    total = 0.0
    for plot in plots:
        t = time.perf_counter()
        figures._made_and_drawn(plot)
        spent = time.perf_counter() - t
        total += spent
        print(f"  {plot.title:40.40} {spent:6.3f} s")
    print(f"{len(plots)} figures one by one: {total:.2f} s")
    t = time.perf_counter()
    rendered_files(run)
    print(f"report.html as sim run draws it: {time.perf_counter() - t:.2f} s")
