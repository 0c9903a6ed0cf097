"""The Jinja2 environment, the status comment, CHANGELOG/PLAN/JSON, the site and feed."""
