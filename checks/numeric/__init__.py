"""The numeric reference of the explicit bounds: NumPy kernels, a 50-digit oracle, precision constants."""
