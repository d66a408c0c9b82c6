"""The launch: the one owner of the car factory, the launch sequence and the holds (``launch.Launch``)."""
