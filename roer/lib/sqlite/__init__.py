"""SQLite as Django's backend, with writers queued by the kernel instead of SQLite's busy handler."""
