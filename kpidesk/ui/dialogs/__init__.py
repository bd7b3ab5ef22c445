"""Dialogs: quick log, offers, accounts, shortcuts."""
