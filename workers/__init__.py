"""Dramatiq broker and actors: mail now; reminders, archives, reports, retention later."""
