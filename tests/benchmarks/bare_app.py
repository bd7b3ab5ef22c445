"""The baseline for the server benchmark: a bare FastAPI app under the same uvicorn set-up,
answering /v1/health with no database and no auth. Ratios against it show what kpidesk's own
work costs, on a machine whose absolute speed varies."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/v1/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
