"""The team view on the server (KPIS.md, "Team view"; issue "The manager as a coach").

``books`` reads a rep's live rows into the domain's ``RepBook``; ``view`` builds the
``GET /v1/coaching`` reply from them; ``proposals`` keeps the objective proposals and their
history. Every part of a rep the reply holds, for their manager or for the rep, comes from
one function (``view.rep_part``): the manager's page and "What my manager sees" are one value.
"""
