"""Production settings come from the environment, and Django's deploy check is clean."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# What a production host sets; TLS ends at a proxy in front of gunicorn.
PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qz!v9@Lr2^Wm4&Xp8*Tn6(Yb3)Hd5_Jf1+Gc0=Se7-Ua2~Ro9|Ei4",
    "ALLOWED_HOSTS": "portal.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_TLS_PROXY": "true",
}


def check_deploy(environment):
    # The browser tests allow sync ORM calls under Playwright's event loop for the
    # test process; a production host never sets that.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env = {**inherited, **environment}
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_it_reports_no_issue_with_the_production_environment():
    returncode, output = check_deploy(PRODUCTION_ENVIRONMENT)

    assert output == "System check identified no issues (0 silenced).\n"
    assert returncode == 0


def test_it_warns_when_production_leaves_https_off():
    laptop = {
        **PRODUCTION_ENVIRONMENT,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
    }

    returncode, output = check_deploy(laptop)

    for warning in ("security.W004", "security.W008", "security.W012"):
        assert warning in output
    assert "System check identified 4 issues (0 silenced)." in output
    assert returncode == 0
