"""The sync wire schemas (pydantic), shared by the client and the server."""
