"""smarketing-assess: measure how well a client's sales and marketing teams work together."""

__version__ = "0.1.0"
