"""The pages of the site, from a ``Site``: the Jinja environment (templating.py; the templates are in
generator/templates/) and pure page renderers. No files, no clock, no environment."""
