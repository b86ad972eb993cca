"""lockguard: pre-commit hooks that keep a Python app's dependencies repeatable."""
