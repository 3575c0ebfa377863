"""Being found: canonical URLs, titles and Open Graph, schema.org JSON-LD, sitemaps and robots.txt.

`create_app` registers its blueprint (`views.bp`: /sitemap.xml, /sitemaps/..., /robots.txt)
and `urls.init_app` (the `canonical_url()` template global).
"""
