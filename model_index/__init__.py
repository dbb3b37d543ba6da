"""model-index: lint, cross-check and render model-index metadata of model zoo cards."""

__version__ = "0.1.0"
