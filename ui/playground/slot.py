"""Where the Playground keeps its run, and the one way to replace it (``SLOT.replace``: live
updates asked for before never train the new run; ui/live/loop.py)."""

from ui.live.loop import RunSlot
from ui.state import PlaygroundKeys as K

SLOT = RunSlot(K.RUN, K.LOOP)
