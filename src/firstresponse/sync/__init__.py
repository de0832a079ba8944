"""Offline sync: protocol models shared with the hub, the httpx client, backoff and the worker."""
