"""Overtime has no section of its own: the Saturdays and hours it worked are columns of the month table
(``months``), so it lists none and the report shows no generic table of its figures either."""

SECTIONS = []
