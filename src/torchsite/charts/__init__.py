"""Charts: specs from content/charts.yaml, one module per chart kind, and the static drawings the build exports."""
