"""`scores import`: the use case. The work is the sync's (accred_ops/sync/scores.py); this
module names it for the command, beside the signature check of results sent from outside."""

from __future__ import annotations

from accred_ops.sync.scores import SECRET_VARIABLE, check_signature, import_scores

__all__ = ["SECRET_VARIABLE", "check_signature", "import_scores"]
