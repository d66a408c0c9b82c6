"""Optional features of the plant, each a ``base.Component`` registered in ``sim.registry``."""
