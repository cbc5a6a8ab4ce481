"""ftsite: builds the "Should you fine-tune an LLM, or just prompt?" microsite."""

__version__ = "0.1.0"
