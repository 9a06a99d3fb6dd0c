"""People who sign in: the User model (email is the identity), allauth's adapter, sessions."""
