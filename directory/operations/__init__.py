"""State-changing functions. They flush but never commit: the view or command commits."""
