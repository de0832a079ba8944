"""Screens for what follows the submit key: the same-shift high-risk review queue, the
victim contact list, DVDS applications and the leaders' figures."""
