"""Widgets shared by the role screens: status bar, verdict panel, big quantities, recent scans."""
