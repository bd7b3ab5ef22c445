"""The team server (FastAPI): users, teams, devices and the sync endpoint. Never imports Qt."""
