"""Merge-time publishing, pure: the final judgement of a merged PR, the record edits and the
regenerated outputs, as file changes for the git or GitHub edge to commit."""
