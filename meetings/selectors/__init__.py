"""Queries that read the record of meetings, one module per concern (the note, its history,
exception reports with the performance section, the action log). Reads only: writes live in
``meetings.services``."""
