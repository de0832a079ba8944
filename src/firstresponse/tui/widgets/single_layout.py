"""Boxes that ask for one layout of the screen per change, not two.

Textual lays the whole screen out again whenever a widget's virtual size changes during a
layout, so a question growing a reason box (or a form body growing a question) costs two
full layouts. For a box that does not scroll, its virtual size is only its own size, which
the layout that found it has already placed; for a scrolling body the scrollbars are
updated from it without a layout. Mix this in first: `class ItemField(SingleLayout, Vertical)`.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive


class SingleLayout:
    """A box whose change in size asks for no second layout of the screen."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
