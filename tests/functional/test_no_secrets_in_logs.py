"""No token or password reaches the logs of the functional run.

The auth tier runs magnum-api and magnum-conductor with debug logging and
keystoneauth, keystonemiddleware and oslo.messaging at DEBUG, so a token in a
context, a request or an RPC message would land in ``test-artifacts``. This
module is collected last (its name sorts after the tier folders); because
parallel workers may still be writing logs when it runs, the same scan runs
again when the whole session ends (``tests/functional/conftest.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.fixtures import keystone, log_secrets
from tests.functional import conftest


def test_the_scanner_finds_each_kind_of_secret(tmp_path: Path) -> None:
    token = "gAAAAAB" + "x" * 150
    password = keystone.PASSWORD_PREFIX + "0123456789abcdef"
    generated = "Zq3_generated-password-32-chars_"
    log = tmp_path / "planted.log"
    key = "-----BEGIN PRIVATE KEY-----"
    log.write_text(f"a {token} b\nc {password}\nd '{generated}' e\nclean line\nf {key}\n")
    hashes = {hashlib.sha256(generated.encode()).hexdigest()}
    leaks = log_secrets.find_leaks([log], hashes)
    assert leaks == [
        "planted.log:1: a Keystone token",
        "planted.log:2: a test password",
        "planted.log:3: a recorded secret",
        "planted.log:5: a private key",
    ]
    assert all(secret not in "".join(leaks) for secret in (token, password, generated))


def test_no_token_or_password_in_the_logs_of_this_run() -> None:
    logs = log_secrets.logs_since(conftest.SESSION_STARTED)
    leaks = log_secrets.find_leaks(logs, log_secrets.recorded_hashes())
    assert not leaks, "secrets in logs:\n" + "\n".join(leaks)
