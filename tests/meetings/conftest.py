"""The real shipped performance data, for the meetings tests that freeze comparisons."""

from tests.performance.conftest import lancashire, national  # noqa: F401
