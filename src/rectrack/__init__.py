"""rectrack: track how far a state implements the recommendations made to it."""

__version__ = "0.1.0"
