"""Reading the program repository's local files: YAML with line numbers, validation, loading."""
