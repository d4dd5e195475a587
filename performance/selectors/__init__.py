"""Queries that read performance data, one module per concern: the comparison and the
periods it covers, trends, reference data (forces, groups, populations) and pending imports."""
