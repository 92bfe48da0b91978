"""Suggestion makers, pure of the ORM: plain data in, suggestions out; the remote ones behind one HTTP helper."""
