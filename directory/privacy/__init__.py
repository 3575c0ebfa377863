"""Privacy: the notice, listed people's objections, the suppression list and what is never published.

`create_app` registers its blueprint (`views.bp`: /privacy, /people/<slug>/object, /objections/confirm/<token>
and the moderators' objection pages). The account export and deletion live with the accounts
(`directory/privacy/accounts.py` holds their per-feature registries).
"""
