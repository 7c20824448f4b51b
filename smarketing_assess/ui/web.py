"""The web form respondents open: the questionnaire served by Voilà.

`smarketing-assess collect CLIENT_DIR --period 2026-Q2` starts a Voilà server on this
machine (localhost unless told otherwise) for `templates/web/collect.ipynb`, whose only
cell shows `form.RespondentPage`. Voilà shows widgets and never code; each visitor gets
a kernel of their own, and each submission is stored as its own file (see `collected`),
so respondents answering at the same moment lose nothing and never see each other's
answers. Every page needs the token printed at start, part of the links handed out.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smarketing_assess.config.client import load_client
from smarketing_assess.config.questionnaire import TEAMS
from smarketing_assess.core.period import Period
from smarketing_assess.core.resources import templates_dir


@dataclass(frozen=True)
class Server:
    """How to start the web form: the command, its environment and the links to hand out."""

    command: list[str]
    environment: dict[str, str]
    links: dict[str, str]  # team (or "any") -> link with the token


def server(client_dir: Path, period: Period, host: str = "127.0.0.1", port: int = 8866, language: str | None = None,
           token: str | None = None) -> Server:
    """Check the client folder and describe the Voilà server for its questionnaire."""
    client = load_client(Path(client_dir) / "client.yaml")  # an invalid profile stops here, not in a page
    token = token or secrets.token_urlsafe(24)
    page = templates_dir() / "web" / "collect.ipynb"
    command = [sys.executable, "-m", "voila", str(page), f"--Voila.ip={host}", f"--port={port}",
               "--Voila.port_retries=0", "--no-browser", f"--token={token}", "--show_tracebacks=False",
               "--strip_sources=True"]
    environment = {**os.environ, "SMARKETING_CLIENT_DIR": str(Path(client_dir).resolve()),
                   "SMARKETING_PERIOD": str(period), "SMARKETING_LANGUAGE": language or client.language}
    base = f"http://{host}:{port}/?token={token}"
    links = {"any": base} | {team: f"{base}&team={team}" for team in TEAMS}
    return Server(command, environment, links)


def serve(spec: Server, echo: Callable[[str], None] = print) -> int:
    """Run the server until it is stopped (Ctrl+C); its exit status."""
    for team, link in spec.links.items():
        echo(f"{'link for ' + team if team != 'any' else 'link (the respondent picks the team)'}: {link}")
    echo("stop with Ctrl+C; each submission is saved as it arrives")
    sys.stdout.flush()
    if os.name == "posix":  # become the server, so that stopping this command stops it
        os.execve(spec.command[0], spec.command, spec.environment)
    try:
        return subprocess.run(spec.command, env=spec.environment, check=False).returncode
    except KeyboardInterrupt:
        return 0
