"""The intake app: requests, legal deadlines, direct threats, consent, mobile groups (Rules 12–22)."""
