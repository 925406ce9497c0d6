"""Benchmarks: requests sent, writes and wall time against the sandbox, next to the lower bound."""
