"""`filings serve`: a local web page on the same core as the CLI, for clerks and template
authors."""
