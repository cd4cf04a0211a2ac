"""Notebooks on the site: what the companion notebooks share (companion.py), and what the build does around the
pages mkdocs-jupyter renders (site_pages.py)."""
