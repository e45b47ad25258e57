"""The diagnostics app: screening results of schools and the quarterly study of their PPSS."""
