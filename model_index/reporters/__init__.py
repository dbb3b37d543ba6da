"""Report formatters, one module per family of formats.

Every formatter is a function ``(result, texts, color=False) -> str`` of the run's `Result` and the
file texts it read; none of them knows a rule (SARIF reads the registry as plain data).
"""
