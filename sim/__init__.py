"""sim: a discrete-event production-capacity simulator of a CKD car plant."""
__version__ = "0.1.0"
