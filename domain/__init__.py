"""What the collaboration is and the rules that decide things: no I/O, no chat, no SQL.

The bottom layer. Everything else may import it; it imports nothing of the project's other packages.
"""
