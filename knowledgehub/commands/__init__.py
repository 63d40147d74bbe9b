"""One module per `hub` verb: each adds its arguments and runs it; `knowledgehub.cli`
only parses the command line and hands over."""
