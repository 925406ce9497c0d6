"""The use cases, one module per use case that is not the sync itself: what a command asks for,
done, and returned as a result (never printed). The commands (`accred_ops/commands/`) call
them; they call the sync, the core, the executor, `files/`, `reports/`, `badges/`, `credly/`,
the GitLab client (`migrate`'s modes) and, for the demo, the sandbox."""
