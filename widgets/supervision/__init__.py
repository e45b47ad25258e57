"""The supervision app (``notebooks/supervision.ipynb``, Rule 11.4)."""
