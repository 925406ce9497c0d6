"""The command line, by command family: each module parses its arguments, calls one use case
(`accred_ops/app/`, or the sync's session), prints and sets the exit code. `accred_ops.cli:main`
is the group that adds them."""
