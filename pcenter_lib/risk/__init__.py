"""The risk-indicator model: estimators, pipeline, persistence, evaluation metrics, model card.

Pure modelling code: it never touches the database (an import-linter contract keeps it so);
services load the data and store the results. Hard rules are not here: they stand outside the
model, in ``pcenter_lib.domain.hard_rules``.
"""
