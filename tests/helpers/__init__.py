"""Plain helpers the tests import (`from helpers.project import edit`); fixtures live in conftest.py."""
