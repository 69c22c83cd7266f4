"""Pull the model through a running Ollama server, with its own streaming progress."""

from __future__ import annotations

import httpx
import ollama

from modelstatus.services.errors import ModelFetchError
from modelstatus.services.status_writer import StatusWriter


def model_pull_from_ollama(*, host: str, model: str, writer: StatusWriter) -> None:
    """`ollama pull`, recorded in the status document.

    Ollama reports progress per layer and announces each layer only when it
    starts, so `total_bytes` grows as layers appear; the byte count never goes
    back. Ollama skips layers it already has, which makes a re-run cheap.
    """
    with writer.recording_failure():
        writer.begin("downloading")
        layer_totals: dict[str, int] = {}
        layer_completed: dict[str, int] = {}
        try:
            for update in ollama.Client(host=host).pull(model, stream=True):
                if update.digest and update.total:
                    layer_totals[update.digest] = update.total
                    layer_completed[update.digest] = max(
                        update.completed or 0, layer_completed.get(update.digest, 0)
                    )
                    writer.advance(
                        sum(layer_completed.values()), total_bytes=sum(layer_totals.values())
                    )
                if update.status == "success":
                    writer.ready()
                    return
        except ollama.ResponseError as error:
            raise ModelFetchError(
                f"Ollama at {host} could not pull {model}: {error.error}. Check the model "
                "name, and the Ollama server's disk space and network."
            ) from error
        except (ConnectionError, httpx.HTTPError) as error:
            raise ModelFetchError(
                f"Could not talk to Ollama at {host} ({error}). Start it, or set OLLAMA_HOST "
                "to where it listens."
            ) from error
        raise ModelFetchError(
            f"Ollama at {host} ended the pull of {model} without reporting success. Run "
            "fetch_model again; Ollama resumes where it stopped."
        )
