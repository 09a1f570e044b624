"""bebcheck: a step-by-step machine check of the Behavior Expectation Bounds paper (arXiv 2304.11082v1)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
