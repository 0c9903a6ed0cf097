"""Merge- and close-time edits of record texts (stamp, supersede, renumber, override) and the
changelog history."""
