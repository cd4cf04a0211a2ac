"""TensorFlow's footprint: see benchmarks.studies.footprint.measure."""

from benchmarks.studies.footprint.measure import run

__all__ = ["run"]
