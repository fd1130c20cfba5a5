"""The ``samverkan`` command's administration tools: imports, exports, reports and the member list.

Run by a coordinator or an operator from a shell, never by the chat; each tool is one transaction per run.
"""
