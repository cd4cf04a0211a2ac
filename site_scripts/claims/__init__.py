"""The claims checker: a registry of article claims, checks that decide them from result files, and their page."""
