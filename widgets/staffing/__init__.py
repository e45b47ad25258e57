"""The staffing app: Rule 24 norm check, workload-based need (WHO WISN) and scenarios."""
