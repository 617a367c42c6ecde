"""gunicorn's settings for Roer in production (`gunicorn -c deploy/gunicorn.conf.py roer.wsgi:application`),
behind nginx (deploy/nginx/roer.conf), which buffers slow clients so that no worker waits on one.

Every value can be changed through the environment, so that a systemd unit or a container sets them
without editing this file."""

import ctypes
import multiprocessing
import os
import signal
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: one request at a time per process. Django's work is CPU-bound, so threads in one process
# would contend for the GIL; and a sync worker takes a connection only when it is idle, so every request
# goes to a free process. (With gthread's keep-alive a connection stays with the process that took it, and
# a process that took more waits longer: in `make load` on two cores the same respondents per second, but
# page saves p99 at 50 users 369-545 ms against 229 ms.) Slow clients never reach a worker: nginx buffers
# them. Two processes per core keep every core busy while another waits for the database (4 processes on
# two cores gave 13% more respondents per second than 3).
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))

# No control socket (gunicornc): its default path in the home folder would be shared by every server
# of the machine's user, and systemd or the container runtime control the server instead.
control_socket_disable = True

timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a request that hangs longer frees its worker
graceful_timeout = 20  # a stop lets running requests finish
max_requests = 5000  # a worker is replaced now and then, so that memory cannot creep
max_requests_jitter = 500

# No access log here: answer links carry the respondent's token in the path. nginx logs requests with
# those paths shortened (deploy/nginx/roer.conf).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """A worker dies with its master. Without this, the workers of a master killed outright (SIGKILL,
    the OOM killer) keep the port while they finish their requests, and a master started again at once
    exits with "Address already in use", so that without a supervisor the service stays down."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
