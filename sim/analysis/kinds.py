"""What kind of value a figure is, so every report writes it the same way."""

TEXT, COUNT, DECIMAL1, DECIMAL2, PERCENT, INTERVAL, HOURS = (
    "text", "count", "decimal1", "decimal2", "percent", "interval", "hours")
"""count: whole numbers with thousands separators; decimal1/2: digits after the point;
percent: a share written as a percentage; interval: a 95% interval; hours: a duration written h:mm."""
