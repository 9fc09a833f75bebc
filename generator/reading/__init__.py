"""Files to a frozen ``Site``: bounded file reading (limits.py), strict YAML with a position for every
value (yaml_strict.py), staff-facing messages, Markdown checks, the loaders and their cross-checks, and
the check of staff-written links. Nothing here writes a file or knows about pages."""
