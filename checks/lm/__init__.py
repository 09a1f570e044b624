"""Language-model experiments: a NumPy Llama forward pass over GGUF weights, the paper's objects on it."""

__all__: list[str] = []
