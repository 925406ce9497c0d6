"""The sync as a pipeline of stages, each its own module, composed by `Session.run`:

selection (which cohorts, learners, shard, or the learner an event names) -> reading (everything,
or what changed since the last sync) -> deciding (the pure planner in `core/`, self-enrollment
requests, feedback triage) -> applying (`executor.py`) -> recording (the sync record).
"""
