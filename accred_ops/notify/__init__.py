"""Chat notifications: what happened (events.py, pure), how each chat shows it (formats.py,
pure), what was sent (ledger.py, pure) and the HTTP post (http.py). sync/notifying.py runs them
after the learners of a sync; nothing here talks to GitLab."""
