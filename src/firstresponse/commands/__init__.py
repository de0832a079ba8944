"""One module per `firstresponse` verb (listed in `cli.VERBS`); each defines
`register(subparsers)`. The others are helpers of a verb."""
