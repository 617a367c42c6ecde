"""Roer: measure and improve digital leadership in public organisations."""
