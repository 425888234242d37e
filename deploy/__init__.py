"""Serving the app to a lecture hall: several Streamlit processes behind HAProxy (hall.py)."""
