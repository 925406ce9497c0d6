"""accred-ops: run a learning-accreditation program on GitLab, as code."""

__version__ = "0.1.0"
