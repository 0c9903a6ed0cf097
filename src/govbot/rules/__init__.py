"""Validation of records and the repository -> findings; never prints, never raises."""
