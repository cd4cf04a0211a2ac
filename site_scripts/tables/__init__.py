"""One module per table family that has no chart."""
