"""The API's routers, one per resource; all mounted under /v1 by kpidesk.server.app."""
