"""The Gradient descent page: config (the schema), run (pure), session (the run in this
session and its two live updates), controls (widgets), figures (pure Plotly), text."""
