"""Measuring side: workloads, one module per framework each, and the harness that times them."""
