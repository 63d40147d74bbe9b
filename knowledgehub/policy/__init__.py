"""What a contribution may carry: the allow-list of elements, attributes, addresses and files,
its settings, and the checks that report, with file and line, what would not reach a page."""
