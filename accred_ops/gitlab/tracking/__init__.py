"""The ways of tracking a learner's path, one module each; reached through `gitlab/tracker.py`."""
