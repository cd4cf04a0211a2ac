"""Studies: one subpackage each, declaring STUDY (see benchmarks/study.py)."""
