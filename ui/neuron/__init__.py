"""The neuron page: config (the schema), run (pure: the perceptron's run, the stack),
session (this session's perceptron run, the buttons, the way to the Playground),
controls (widgets), figures (pure Plotly), text (explanations)."""
