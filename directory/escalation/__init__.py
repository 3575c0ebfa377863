"""The escalation ladder: regulators and ombudsmen, email formats, the letter composer.

`create_app` registers its blueprint (`views.bp`, under /companies) and `flask regulators` (`commands`).
"""
