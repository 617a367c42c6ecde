"""A small, separate Django project running django-oidc-provider: the OpenID provider that the single
sign-on tests log in at (tests/sso/conftest.py starts it as a subprocess). Not part of Roer."""
