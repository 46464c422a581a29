"""border-kg: a sourced, time-scoped knowledge graph of border crossings in conflict zones."""

__version__ = "0.1.0"
