"""The use cases, one module per command family: what a command asks for, done, and returned
as a result (never printed). The commands (`accred_ops/commands/`) call them; they call the
sync, the core, the executor, `files/`, `reports/` and `badges/`."""
