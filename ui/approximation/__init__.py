"""The Universal approximation page: config, run, session, controls, figures, text."""
