"""Court formats, and HTML into PDF and DOCX behind one convert() seam."""
