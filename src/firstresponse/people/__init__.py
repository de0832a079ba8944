"""Decisions about people's records: linking two records of one person, and needs kept as markers.

Workflows (permission checked, audited, queued for the hub), over the lookup they read.
"""
