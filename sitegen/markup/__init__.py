"""Markdown to HTML for one body: python-markdown, SITREP syntax, and its speedups.

Called by :mod:`sitegen.read.posts`; knows nothing of files or of the site.
"""
