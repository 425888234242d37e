"""A picker of pictures: tiles with a small picture and a name, the chosen one marked;
a click (or Enter on a focused tile) picks one. The Playground's dataset gallery uses it.

A Streamlit component (no iframe): the tiles are buttons, so they can be reached with the
keyboard, and the names are set as text, never as markup.
"""

import json
from collections.abc import Callable

import streamlit as st

_CSS = """
.picker { display: flex; flex-wrap: wrap; gap: 6px; }
.picker button {
  width: 64px; padding: 3px 2px 2px 2px; border: 2px solid transparent; border-radius: 6px;
  background: none; cursor: pointer; font: inherit; font-size: 11px; line-height: 1.15;
  color: inherit; text-align: center;
}
.picker button:hover { border-color: #c7c9cc; }
.picker button[aria-pressed="true"] { border-color: #ff4b4b; background: rgba(255, 75, 75, 0.08); font-weight: 600; }
.picker .tile-picture {
  display: block; width: 56px; height: 56px; margin: 0 auto 2px auto; border-radius: 4px;
  background: #eef0f2 center / cover no-repeat;
}
.picker .tile-icon {
  display: flex; align-items: center; justify-content: center; font-size: 28px; color: #5f6368;
  font-family: "Material Symbols Rounded"; font-weight: normal; font-style: normal; line-height: 1;
  letter-spacing: normal; text-transform: none; white-space: nowrap; font-feature-settings: "liga";
}
"""

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const spec = JSON.parse(data);
  let root = parentElement.querySelector(".picker");
  if (!root) {
    root = document.createElement("div");
    root.className = "picker";
    root.setAttribute("role", "group");
    parentElement.appendChild(root);
  }
  root.setAttribute("aria-label", spec.label);
  root.replaceChildren(
    ...spec.tiles.map((tile) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.value = tile.value;
      button.setAttribute("aria-pressed", String(tile.value === spec.chosen));
      button.title = tile.label;
      const picture = document.createElement("span");
      picture.className = "tile-picture";
      if (tile.picture) picture.style.backgroundImage = `url("${tile.picture}")`;
      else { picture.classList.add("tile-icon"); picture.textContent = tile.icon || ""; }
      const name = document.createElement("span");
      name.textContent = tile.label;
      button.append(picture, name);
      button.addEventListener("click", () => setTriggerValue("pick", tile.value));
      return button;
    })
  );
}
"""

_component = st.components.v2.component("picture_picker", css=_CSS, js=_JS, isolate_styles=True)


def picture_picker(tiles: list[dict], chosen: str, *, key: str, label: str, on_pick: Callable[[str], None]) -> None:
    """Show ``tiles`` (``{"value", "label", "picture": data URI}`` or, instead of the
    picture, ``"icon"``: the name of a Material Symbol, the icon font Streamlit ships)
    with ``chosen`` marked. A click calls
    ``on_pick(value)`` before the run it starts, like a widget's callback, so that run
    draws everything with the new choice."""

    def picked() -> None:
        value = st.session_state[key].get("pick")
        if value is not None:
            on_pick(value)

    data = json.dumps({"tiles": tiles, "chosen": chosen, "label": label}, separators=(",", ":"))
    _component(key=key, data=data, on_pick_change=picked)
