"""Values and names as page text: formatting (values to escaped Markdown), labels (how things are named),
provenance text (captions and reproduce commands)."""
