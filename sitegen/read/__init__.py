"""Stage 1, reading: site.yaml and every content file become checked, frozen values.

Nothing here knows about other posts or about output; every problem found is
collected with its file and line (see :mod:`sitegen.errors`).
"""
