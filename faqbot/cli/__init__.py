"""Command-line front ends: each command is a thin layer over `faqbot.bot.Bot`."""
