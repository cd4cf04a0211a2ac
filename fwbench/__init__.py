"""The `fwbench` command: the one place that sees both rooms, measuring (benchmarks/) and rendering
(site_scripts/), and the release rebuild that drives them one after the other."""
