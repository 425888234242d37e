"""The Playground: config (the schema), run (pure), session (the run in this session and
its live update), controls (widgets), figures (pure Plotly), text (explanations)."""
