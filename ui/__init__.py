"""Streamlit-aware helpers: session state, chart builders, the live chart component."""
