"""Staff and developer tools beside the build: file scaffolds, the year change, JSON Schema export, and
the check of changed events against a git base."""
