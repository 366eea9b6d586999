"""Small helpers every layer may use: explicit seeds and batched model calls."""
