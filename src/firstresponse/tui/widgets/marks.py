"""The marks that show state in the text itself, never by colour alone."""

#: Before the option, row or list entry the keys act on.
CURSOR = "›"  # noqa: RUF001 (a guillemet, on purpose)
