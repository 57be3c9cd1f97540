from webapp.devidp import provider  # noqa: F401
