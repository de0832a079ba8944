"""People, roles, audit and restricted records. Pure core: no UI imports."""
