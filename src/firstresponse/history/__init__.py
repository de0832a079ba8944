"""Force history: importing a force's CSV extract, and keeping the lookup index in step."""
