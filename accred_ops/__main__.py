"""`python -m accred_ops`: the same command line as `accred-ops`, for a checkout without the
entry point installed."""

from accred_ops.cli import main

main(prog_name="accred-ops")
