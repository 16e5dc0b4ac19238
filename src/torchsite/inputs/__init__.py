"""Inputs: the content files read strictly into one typed model (facts, figures, story, settings)."""
