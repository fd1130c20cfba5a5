"""Reports written as files for the parties' forums, such as the yearly follow-up for Strategiska BRÅ.

Each report gathers its data into plain dataclasses first and renders them afterwards, so the SQL never
formats Swedish and the rendering never touches the database.
"""

from admin.reports.follow_up import FollowUp, gather_follow_up, render_follow_up, write_follow_up

__all__ = ["FollowUp", "gather_follow_up", "render_follow_up", "write_follow_up"]
