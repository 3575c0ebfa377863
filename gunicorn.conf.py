"""Read by gunicorn when started from this folder (`gunicorn wsgi:app`)."""

# Reset and confirmation tokens never reach the access log (directory/accesslog.py).
logger_class = "directory.accesslog.RedactingLogger"
