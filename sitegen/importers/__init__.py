"""Readers and writers behind ``sitegen import`` (the entry point is :mod:`sitegen.importer`).

Each reader turns one export format into plain :class:`~sitegen.importers.model.Entry`
values; :mod:`~sitegen.importers.writer` decides file names, slugs and aliases for all
of them at once and only then touches the disk.
"""
