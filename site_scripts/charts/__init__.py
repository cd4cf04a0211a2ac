"""One module per chart family: the Plotly figure and the tables under it (its data, what it does not plot).
`style` and `embed` are what every chart shares; `section` renders a chart's block on the Performance page."""
