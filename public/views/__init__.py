"""The public pages, one module per area."""
