"""Plan the documents, render them in workers, write them atomically, keep the manifest."""
