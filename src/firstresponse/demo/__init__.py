"""Synthetic force history and the embedded demo: generator, showcase people, word lists."""

from firstresponse.demo.generate import Counts, generate_history

__all__ = ["Counts", "generate_history"]
