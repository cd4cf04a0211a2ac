"""One module per article (memory, accuracy, ease of use, ecosystem, ...): each registers its own
`{{ fwbench.NAME }}` placeholders with site_scripts.placeholders.placeholder, and is imported
by placeholders.load_articles(), so adding an article never edits a shared list."""
