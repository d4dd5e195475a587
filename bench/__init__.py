"""Benchmarks of the portal against baselines measured in the same run: ``python -m bench``."""
