"""The commands: ``build`` and ``check`` (the pipeline), ``serve``, ``init``/``new``, ``import``.

Each puts the stages in order; :mod:`sitegen.cli` parses arguments and prints.
"""
