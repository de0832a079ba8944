"""An officer's session on a terminal: signing in (against the hub or offline) and the
sync link that runs for them until they sign out. Above sync and security, which it joins."""
