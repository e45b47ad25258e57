"""The intervision app (Rule 11.3): sessions, case materials, series and documentation reviews."""
