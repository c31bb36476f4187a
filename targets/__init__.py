"""Quantitative target tracker for the Yangtze River Delta integration plans."""

__version__ = "0.1.0"
