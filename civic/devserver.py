"""``make demo``: everything the platform needs, in one terminal.

Starts the embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set,
migrates (public, template, communes), loads the demo communes, then runs the web
server, a Celery worker and Celery beat until Ctrl-C, which stops all of them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.local")
    from civic.embedded import VAR_DIR, ensure_services

    ensure_services()
    address = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")
    port = address.rsplit(":", 1)[-1]
    # Links in emails and in the demo's list of logins name the port the server listens on.
    os.environ.setdefault("SITE_PORT", port)
    python = sys.executable
    manage = [python, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "load_demo"], check=True, cwd=BASE_DIR)
    commands = [
        [*manage, "runserver", address],
        [python, "-m", "celery", "-A", "civic", "worker", "-l", "info", "--concurrency", "2"],
        [python, "-m", "celery", "-A", "civic", "beat", "-l", "info", "-s", str(VAR_DIR / "celerybeat-schedule")],
    ]
    # Each in a process group of its own (the autoreloader's child too), stopped as a whole.
    processes = [subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True) for command in commands]
    print(f"""
civic is running (Ctrl-C stops everything):
  platform and consultants' admin  http://localhost:{port}/  ·  http://localhost:{port}/admin/
  Bertrix                          http://bertrix.localhost:{port}/
  Fleurus                          http://fleurus.localhost:{port}/
  Auderghem (FR/NL/EN)             http://auderghem.localhost:{port}/
  Ardenne-Centre (parent space)    http://ardenne-centre.localhost:{port}/communes/
Emails (sign-up confirmation…) are printed by the worker below.
""", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping civic…", flush=True)
    finally:
        stop(processes)
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stop(processes) -> None:
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.time() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
        _signal_group(process, signal.SIGKILL)


def _signal_group(process, signum) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    sys.exit(main())
