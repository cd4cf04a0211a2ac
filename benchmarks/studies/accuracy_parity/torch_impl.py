"""This framework's side of the parity study: the shared loop over this framework's workload implementation."""

from benchmarks.studies.accuracy_parity.training import train as run  # noqa: F401
