"""The new feedback options, from mkdocs.yml through the real command line to the receiver."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import scaffold
from generator.cli.commands import project_loader
from generator.feedback.receiver import ReceiverConfigError, receiver_for_project
from generator.feedback.storage import Store

OPTIONS = {
    "endpoint": "/api/feedback",
    "origins": ["https://intranet.example.org"],
    "trusted_proxies": ["10.0.0.0/24"],
    "sso_header": "X-Forwarded-Email",
    "open_answers": False,
    "verified_only": True,
    "period": "month",
    "open_answers_per_hour": 3,
    "answers_per_person_per_hour": 20,
    "invite_secret_env": "MY_INVITE_SECRET",
    "sso_secret_env": "MY_SSO_SECRET",
}


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    root = tmp_path / "handbook"
    scaffold.create(root)
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["site_url"] = "https://handbook.example.org/docs/"
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "handbook" in plugin:
            plugin["handbook"] = {**(plugin["handbook"] or {}), "feedback": OPTIONS}
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def test_options_reach_the_settings(handbook: Path) -> None:
    feedback = project_loader(handbook).settings.feedback
    assert feedback.site_url == "https://handbook.example.org/docs/"
    assert feedback.origins == ("https://intranet.example.org",)
    assert feedback.trusted_proxies == ("10.0.0.0/24",)
    assert (feedback.sso_header, feedback.open_answers, feedback.verified_only) == (
        "X-Forwarded-Email",
        False,
        True,
    )
    assert (feedback.period, feedback.open_answers_per_hour) == ("month", 3)
    assert feedback.answers_per_person_per_hour == 20
    assert (feedback.invite_secret_env, feedback.sso_secret_env) == (
        "MY_INVITE_SECRET",
        "MY_SSO_SECRET",
    )


def test_sign_on_needs_its_secret(handbook: Path, sqlite_store: Store) -> None:
    project = project_loader(handbook)
    with pytest.raises(ReceiverConfigError, match="MY_SSO_SECRET"):
        receiver_for_project(project, sqlite_store, environ={})
    app = receiver_for_project(
        project, sqlite_store, environ={"MY_SSO_SECRET": "s" * 32, "MY_INVITE_SECRET": "i" * 32}
    )
    assert app is not None


def test_feedback_serve_without_the_secret_is_one_line(handbook: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "feedback",
            "serve",
            str(handbook),
            "--database",
            f"sqlite:///{tmp_path}/feedback.db",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "MY_SSO_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_proxy_address_is_one_line(handbook: Path, sqlite_store: Store) -> None:
    config_file = handbook / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8").replace("10.0.0.0/24", "not-an-address"),
        encoding="utf-8",
    )
    project = project_loader(handbook)
    with pytest.raises(ReceiverConfigError, match="not an IP address or network"):
        receiver_for_project(project, sqlite_store, environ={"MY_SSO_SECRET": "s" * 32})
