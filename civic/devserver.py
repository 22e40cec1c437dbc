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
    python = sys.executable
    manage = [python, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "load_demo"], check=True, cwd=BASE_DIR)
    address = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")
    processes = [
        subprocess.Popen([*manage, "runserver", address], cwd=BASE_DIR),
        subprocess.Popen([python, "-m", "celery", "-A", "civic", "worker", "-l", "info",
                          "--concurrency", "2"], cwd=BASE_DIR),
        subprocess.Popen([python, "-m", "celery", "-A", "civic", "beat", "-l", "info",
                          "-s", str(VAR_DIR / "celerybeat-schedule")], cwd=BASE_DIR),
    ]
    port = address.rsplit(":", 1)[-1]
    print(f"""
civic is running (Ctrl-C stops everything):
  platform and consultants' admin  http://localhost:{port}/  ·  http://localhost:{port}/admin/
  Bertrix                          http://bertrix.localhost:{port}/
  Fleurus                          http://fleurus.localhost:{port}/
  Auderghem (FR/NL/EN)             http://auderghem.localhost:{port}/
Emails (sign-up confirmation…) are printed by the worker below.
""", flush=True)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.time() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
