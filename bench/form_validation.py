"""How long each form of the site takes to validate 50 KB in every field (issue 26, finding 1).

    .venv/bin/python bench/form_validation.py [--size 50000] [--repeat 20]

Every form class under `directory/` is found the way `tests/test_security_issue26.py` finds
them; each is validated `--repeat` times with `--size` characters in every field (the test's
`hostile_value`, worst-case for an email pattern) and the slowest run is printed, in
milliseconds. The test asserts the bound on work (the length check
stops each field first); this prints what that costs on the machine at hand.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory import create_app  # noqa: E402
from tests.test_security_issue26 import every_form, hostile_value  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        app = create_app({"SECRET_KEY": "bench-only", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.sqlite",
                          "SEARCH_INDEX_DIR": f"{work}/index", "WTF_CSRF_ENABLED": False})
        value = hostile_value(options.size)
        slowest = []
        with app.test_request_context(method="POST"):
            for form_class in every_form():
                names = [field.name for field in form_class(meta={"csrf": False})]
                runs = []
                for _ in range(options.repeat):
                    start = time.perf_counter()
                    form_class(formdata=MultiDict({name: value for name in names}), meta={"csrf": False}).validate()
                    runs.append((time.perf_counter() - start) * 1000)
                slowest.append((max(runs), f"{form_class.__module__}.{form_class.__name__}"))
    for ms, name in sorted(slowest, reverse=True):
        print(f"{ms:8.2f} ms  {name}")
    print(f"slowest: {max(slowest)[0]:.2f} ms ({options.size:,} characters in every field, {options.repeat} runs each)")


if __name__ == "__main__":
    main()
