"""Synthetic mixture language models: models, the paper's definitions, adversaries, experiments, plots."""
