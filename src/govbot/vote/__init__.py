"""The PR snapshot, ballots with their typed standing, the tally per rule, and judge(): the one
judgement."""
