"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (gunicorn also reads this file by
itself when started from this folder). Flags on the command line win over this file."""

# Reset and confirmation tokens never reach the access log (directory/accesslog.py).
logger_class = "directory.accesslog.RedactingLogger"


def post_worker_init(worker):
    """Warm each worker once it has loaded the app, before it accepts a connection: the
    first search after a start or a worker restart then costs what every later one does.
    A failure only costs speed: the worker logs it and serves cold, rather than exiting and
    being restarted into the same failure."""
    from directory.warmup import warm

    try:
        warm(worker.wsgi)
    except Exception:
        worker.log.exception("warm-up failed; this worker starts cold")
