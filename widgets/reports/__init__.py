"""The reports app (Rules 20–23)."""
