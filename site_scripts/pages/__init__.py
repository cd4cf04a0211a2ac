"""One module per page: each registers its page's `{{ fwbench.NAME }}` placeholders with
site_scripts.placeholders.placeholder, and is imported by placeholders.load_pages(), so adding a page never
edits a shared list."""
