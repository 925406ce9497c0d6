"""Credly as an optional sink for the awards on record: issue each award as a Credly badge to
the learner's email (from the cohort file), revoke it with the public reason when the award is
revoked. client.py speaks Credly's Web Service API, plan.py (pure) decides, `app/credly.py` (`publish`) runs it
against the tool's own record of the badges it issued."""
