"""torchsite: a data-journalism microsite built from a verified fact sheet."""

__version__ = "0.1.0"
