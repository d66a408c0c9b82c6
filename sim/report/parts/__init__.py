"""The report parts of the plant's components, one module each, found through ``sim.registry`` (a
registration's ``report``). A part may have:

* ``SECTIONS``: its ``sections.Section`` s of the HTML report (an empty list: the component shows nothing of
  its own; without the name, the report shows its summary.json section as a generic table);
* ``console(summary)``: its tables (``cells.Rows``) for the console report, printed where its first section
  stands on the page;
* ``output_caption(summary)``: a sentence it adds to the caption of the output table.

The core report never names a component: what a component shows, it shows through these.
"""

from __future__ import annotations

from ... import registry


def report_parts() -> list[tuple[str, object | None]]:
    """(name, report part) of every registered component in registration order; None for one without a part."""
    parts = dict(registry.parts("report"))
    return [(registration.name, parts.get(registration.name)) for registration in registry.REGISTERED]
