"""The command line, by command family: each module parses its arguments and prints; the
work is done below (sync/, files/, the use-case modules). `accred_ops.cli:main` is the group."""
