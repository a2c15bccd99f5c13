"""Stage 3, output: what each output file is, what it is made from, and how it is written.

Each module declares its outputs (:class:`sitegen.output.outputs.Output`) with
the inputs they read; the plan (:mod:`sitegen.incremental.plan`) decides which
to make, and :mod:`writer` stages and commits them.
"""
