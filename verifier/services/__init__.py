"""Writes: every change to verifier data goes through these functions."""
