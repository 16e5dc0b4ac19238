"""Output: the site as files, written to a staging folder, checked, and swapped into place under a lock."""
