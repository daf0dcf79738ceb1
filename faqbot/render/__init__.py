"""Text a person reads in a terminal: a `Reply` (`text`) and why it was chosen (`explain`).

Shared by `faqbot ask` and the REPL, so neither front end imports the other.
"""
