"""The flow kernel: what every plant is made of, whatever its components (see ``sim.model``)."""
