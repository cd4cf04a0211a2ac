"""The contract between measuring (benchmarks/) and rendering (site_scripts/): the result-file schema,
the statistics that turn samples into comparisons, and the typed payload of every study.

Both sides import it; it imports neither (tests/test_import_rules.py). It depends on pydantic,
numpy and scipy only, so a result file can be read, checked and re-analysed anywhere.
"""
