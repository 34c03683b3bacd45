"""Views of the directory: search and profiles (directory.py), self-service
editing (profile.py), moderation (moderation.py), open data (opendata.py) and
the taxonomy pages (taxonomy.py)."""
