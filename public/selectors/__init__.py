"""What each public page may show, one module per area. Every selector takes
the municipality from the address and decides what is published
(docs/public-site.md §2.3); the open-data API reuses them."""
