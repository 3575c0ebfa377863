"""Production entry point: `gunicorn wsgi:app`. Refuses to start without a real SECRET_KEY."""
from directory import create_app

app = create_app(production=True)
