"""The plant on SimPy: a core flow plus components.

- ``flow/``: the flow kernel: cars and parts, the store template and its stores (buffers, sorting stores),
  stations, paced lines and conveyors (with paint booths and over-cycles), routing, the graph's splits, joins
  and call-offs, station states and failures, shift clocks, labour pools; the protocol between them.
- ``launch/``: the one launch: the car factory, the launch sequences, the holds.
- ``components/``: optional features with one lifecycle (``components.base.Component``): learning, the ramp-up
  and plan, overtime, the finished-car yard (outbound), kit supply; registered in ``sim.registry``.
- ``builder.py`` and ``shops.py``: the scenario turned into a plant (the builder apart from the runtime);
  ``wiring.py``: the check that ends every build.
- ``plant.py``: the plant at run time: the run, the counts, the invariants.
- ``replication.py``: one replication as a pure function of (scenario, seed, replication): tidy tables.
- ``streams.py``: named random streams.
"""
