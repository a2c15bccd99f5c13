"""Stage 4, incremental building: the build context, the plan, the cache, the workers.

Decides what must be made again, from the inputs each output declares, and
keeps what earlier builds made (``.sitegen-cache/``) so that an edit costs
what it changed.
"""
