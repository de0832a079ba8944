"""Screens, one module (or package) per area: login, call_handler, responder, supervisor."""
