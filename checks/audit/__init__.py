"""The audit pipeline: policy, runner, verdict decision, result types, reports and errata."""
