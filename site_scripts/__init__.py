"""Rendering side: turns result files into the MkDocs site; never runs a benchmark, never imports a framework."""
