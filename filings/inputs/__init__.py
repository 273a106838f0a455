"""Read the case file and the roster into typed records, every value with its place."""
