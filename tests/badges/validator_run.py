"""Run 1EdTech's Open Badges 2.0 validator on one assertion URL; print its report as JSON.

Executed by `.venv-validator/bin/python` (the validator's old pins live there, apart from the
product's packages), from tests/badges/test_validator.py:

    validator_run.py URL '{"email": "..."}'

Only 127.0.0.1 is reached: the Open Badges JSON-LD context is served from the package.
"""

import json
import sys
import warnings

import responses

with warnings.catch_warnings():  # its old dependencies import deprecated modules
    warnings.simplefilter("ignore")
    from openbadges import verify
    from openbadges.verifier.openbadges_context import (
        OPENBADGES_CONTEXT_V2_DICT,
        OPENBADGES_CONTEXT_V2_URI,
    )


def main(url: str, profile: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        mock.add(responses.GET, OPENBADGES_CONTEXT_V2_URI, json=OPENBADGES_CONTEXT_V2_DICT)
        report = verify(url, recipient_profile=json.loads(profile), use_cache=False)
    print(json.dumps(report, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:])
