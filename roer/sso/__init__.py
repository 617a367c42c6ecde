"""Single sign-on with OpenID Connect, per organisation."""
