"""The priority review queue as a part of a page (home page, supervision app)."""

from widgets.queue.view import PriorityQueueView

__all__ = ["PriorityQueueView"]
