"""What generated policy code runs on: exact quantities, dates and evaluation helpers."""
