"""Models: one module per file family, parsing files into plain data with line numbers."""
