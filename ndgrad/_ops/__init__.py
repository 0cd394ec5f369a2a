"""The op registry (``registry.py``) and one module per array API category of ops."""
