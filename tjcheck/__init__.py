"""tjcheck: pre-flight checks for the Tianjin senior accounting exam information collection."""
__version__ = "0.1.0"
