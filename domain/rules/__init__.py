"""Rules that decide things: plain functions of data and a date or clock, no chat and no SQL."""
