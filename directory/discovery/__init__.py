"""Being found: canonical URLs, titles and Open Graph, schema.org JSON-LD, sitemaps and robots.txt.

`create_app` registers its blueprint (`bp`: /sitemap.xml, /sitemaps/..., /robots.txt);
`templating.init_app` makes `urls.canonical_url()` a template global.
"""
from flask import Blueprint

bp = Blueprint("discovery", __name__)

from . import views  # noqa: E402,F401
