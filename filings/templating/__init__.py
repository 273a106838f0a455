"""Template folders, the sandboxed environment, and a record plus a template into HTML."""
