"""Reusable widgets for the terminal UI."""
