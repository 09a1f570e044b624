"""The machinery: engines, the audit pipeline, the numeric reference, the simulator and the CLI."""

__all__: list[str] = []
