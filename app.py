"""Entry point: the app's pages. `streamlit run app.py` opens the Playground.

Pages are listed here with ``st.navigation``; each page is one thin script in pages/.
Until ``st.navigation`` has run once in a server process, Streamlit 1.67 still routes
``pages/*.py`` by file name (its "MPA v1"), so no page's URL path may equal a file name
there: the neuron page lives in ``the_neuron.py`` behind ``/neuron``. Any other first
request falls through to this script, which switches the process to this list.
"""

import streamlit as st

st.set_page_config(page_title="Neural-network playground", page_icon="🧠", layout="wide")

PAGES = [
    st.Page(
        "pages/gradient_descent.py",
        title="Gradient descent",
        icon=":material/trending_down:",
        url_path="gradient-descent",
    ),
    st.Page("pages/the_neuron.py", title="The neuron", icon=":material/radio_button_checked:", url_path="neuron"),
    st.Page("pages/playground.py", title="Playground", icon=":material/hub:", default=True),
    st.Page(
        "pages/universal_approximation.py",
        title="Universal approximation",
        icon=":material/timeline:",
        url_path="universal-approximation",
    ),
]

st.navigation(PAGES).run()
