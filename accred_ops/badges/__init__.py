"""Badges as standard, verifiable credentials: Open Badges 2.0 and 3.0, as a static tree.

The caller (the CLI's `badges export`) reads the awards from GitLab and passes them here as
plain data; this package only computes and writes files, so it runs and is tested offline.
"""

from accred_ops.badges.export import ExportResult, export
from accred_ops.badges.model import Award, Issuer

__all__ = ["Award", "ExportResult", "Issuer", "export"]
