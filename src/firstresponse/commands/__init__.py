"""One module per `firstresponse` verb; each defines `register(subparsers)`."""
