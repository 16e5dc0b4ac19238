"""Render: every page and download of the site in memory, from one page registry and the Jinja templates."""
