"""Actions that change the record of meetings, one module per concern. Writes only: reads live
in ``meetings.selectors``."""
