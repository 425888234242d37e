"""Entry point: the app's pages. `streamlit run app.py` opens the Playground.

Pages are listed here with ``st.navigation`` (so the pages/ folder is not auto-discovered:
the two mechanisms are never mixed); each page is one thin script in pages/.
"""

import streamlit as st

st.set_page_config(page_title="Neural-network playground", page_icon="🧠", layout="wide")

PAGES = [
    st.Page("pages/playground.py", title="Playground", icon="🧠", default=True),
]

st.navigation(PAGES).run()
