"""Numbers derived from runs that several pages use: which cases a chart shows, memory phases and fits,
accuracy parity, release history and code changes between runs, the ecosystem fact file."""
