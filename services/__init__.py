"""Use cases: one function per thing a user does, each one transaction that checks, writes, audits and commits.

Conversations (``dialogs``) and the administration tools (``admin``) call these; they take a unit of work
(``services.unit_of_work``) and return plain results for the caller to render.
"""
