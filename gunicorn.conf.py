"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (gunicorn also reads this file by
itself when started from this folder). Flags on the command line win over this file."""


def post_worker_init(worker):
    """Warm each worker once it has loaded the app, before it accepts a connection: the
    first search after a start or a worker restart then costs what every later one does."""
    from directory.warmup import warm

    warm(worker.wsgi)
