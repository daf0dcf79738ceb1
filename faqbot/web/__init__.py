"""The HTTP front end: a JSON API, the embeddable widget and a demo page.

Importing this package imports FastAPI; only `faqbot serve` and the tests do.
"""
