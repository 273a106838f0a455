"""Assemble court filings as PDF and DOCX from one Jinja template."""

__version__ = "0.1.0"
