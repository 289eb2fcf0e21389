"""Floors: the least work that gives the user the same result, written outside the product
(nothing here imports `forum`), so a bench row can catch the product's waste."""
