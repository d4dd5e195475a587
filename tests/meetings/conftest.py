"""The real shipped performance data, for the meetings tests that freeze comparisons, and a
published note."""

from tests.performance.conftest import lancashire, national  # noqa: F401
from tests.publication.conftest import published  # noqa: F401
