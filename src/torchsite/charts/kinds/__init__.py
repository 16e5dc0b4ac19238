"""One module per chart kind: its spec, checks, rows, words, drawing and key."""
