"""Writes of the model download state: the status document and the fetch itself."""
