"""govbot: a GitHub repository as the system of record for a strategic plan."""

__version__ = "0.1.0"
