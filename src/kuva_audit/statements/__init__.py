"""Accessibility statements (saavutettavuusseloste) in Finnish, Swedish and English."""
