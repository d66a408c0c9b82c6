"""The wiring check that ends every build (in the spirit of desmod's ``elaborate()``).

Every part of the flow declares what it leads to (``links()``: named targets, inputs, branches,
rework paths), so the check walks them all the same way and a new kind of store, router or
target needs no edit here. It raises ``WiringError`` naming ``shop.station`` and the missing end
when a node has no input or output, a link leads nowhere, a link reaches a store the plant does
not have (``Plant.stores``), or a part declares no links at all (nothing passes unchecked).
"""

from __future__ import annotations

from .flow.store import Store


ENDS = ("input", "output")
"""A node's own two ends: missing, they are reported as 'no input', 'no output'."""


class WiringError(RuntimeError):
    """The builder left a node or a path unconnected: a bug in the builder, never a user error."""


def check_wiring(plant) -> None:
    """Raise ``WiringError`` unless every node's input and output, and everything they lead to, is connected."""
    stores = {id(store) for store in plant.stores}
    problems: list[str] = []
    walked: set[int] = set()

    def walk(where: str, label: str, part) -> None:
        if part is None:
            problems.append(f"{where}: {label} leads nowhere")
            return
        if isinstance(part, Store) and id(part) not in stores:
            name = getattr(part, "name", type(part).__name__)
            problems.append(f"{where}: {label} leads to no buffer of the plant ({name})")
        links = getattr(part, "links", None)
        if links is None:
            problems.append(f"{where}: {label} is a {type(part).__name__}, which declares no links")
            return
        if id(part) in walked:  # shared by several nodes (a buffer, a merge): walked once
            return
        walked.add(id(part))
        for name, target in links():
            walk(where, name, target)

    for node in plant.all_nodes():
        where = f"{node.shop}.{node.name}"
        for name, part in node.links():
            if part is None and name in ENDS:
                problems.append(f"{where}: no {name}")
            else:
                walk(where, name, part)
    if problems:
        raise WiringError("plant wiring incomplete: " + "; ".join(problems))
