"""sitegen: a static site generator for conflict-analysis blogs."""

__version__ = "0.1.0"
