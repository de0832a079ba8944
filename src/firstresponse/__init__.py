"""firstresponse: domestic abuse first response for police control rooms and responders."""

__version__ = "0.1.0"
