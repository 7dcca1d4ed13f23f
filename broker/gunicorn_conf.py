"""gunicorn settings of the production run (`make serve`, see Procfile); bench/load.py serves its
ceiling app with them too. BROKER_BIND, BROKER_WORKERS and BROKER_THREADS set the address, the
worker processes and the threads in each; any other gunicorn setting can be given in
GUNICORN_CMD_ARGS (e.g. "--access-logfile -")."""
import os

bind = os.environ.get("BROKER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BROKER_WORKERS", "3"))
# Threads (gunicorn's gthread worker when above 1) let a worker serve another request while one
# waits on PostgreSQL; bench/load.py measured 3 x 4 against 3 single-threaded workers.
threads = int(os.environ.get("BROKER_THREADS", "4"))
# The scheduler is its own process (`broker scheduler`); workers never start one, and nothing
# relies on --preload (a scheduler's threads would not survive the fork).
raw_env = ["BROKER_SCHEDULER=off"]
preload_app = False
# Stop within honcho's five seconds before it kills what is left.
graceful_timeout = 4
# gunicorn 27's control socket sits at one path per user: two servers on one host would share it.
control_socket_disable = True
