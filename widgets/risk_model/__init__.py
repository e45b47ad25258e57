"""The analyst's risk model app (``notebooks/risk_model.ipynb``)."""
