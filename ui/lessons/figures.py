"""The Lessons page's picture: the deck's progress, one mark per scene (filled when its
task is done), as a Plotly figure dict. Pure."""

from ui.charts.colors import theme

DONE_COLOR = "#2e7d32"
OPEN_COLOR = "#b0bec5"


def progress_figure(titles: list[str], done: list[bool], has_task: list[bool]) -> dict:
    """One marker per scene, left to right: a filled green circle when its task is done,
    an open grey one when it is still to do, a small grey dot when the scene sets no task.
    The legend names the three."""
    n = len(titles)
    groups = (
        ("done ✓", DONE_COLOR, "circle", 16, lambda i: has_task[i] and done[i]),
        ("to do", OPEN_COLOR, "circle-open", 16, lambda i: has_task[i] and not done[i]),
        ("no task", OPEN_COLOR, "circle", 7, lambda i: not has_task[i]),
    )
    data = []
    for name, color, symbol, size, keep in groups:
        xs = [i + 1 for i in range(n) if keep(i)]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": xs or [None],
                "y": [0] * len(xs) or [None],
                "text": [titles[x - 1] for x in xs],
                "hovertemplate": "%{x}. %{text}<extra></extra>",
                "marker": {"color": color, "symbol": symbol, "size": size, "line": {"width": 2, "color": color}},
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 110,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
            "xaxis": {"range": [0.4, n + 0.6], "dtick": 1, "title": None, "showgrid": False, "zeroline": False},
            "yaxis": {"visible": False, "range": [-1, 1]},
            "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.3},
            "font": {"color": theme().ink},
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }
