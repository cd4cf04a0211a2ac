"""What every page has around its content: the run selector, "Cite this page", the chart data downloads and
the script that draws the embedded charts."""
