"""The terminal conversation (`faqbot chat`), split pgcli-style into one module per concern.

- `conversation`: what one conversation remembers, and turning "2" into a pick
- `commands`: the slash commands, from which `/help` is generated
- `output`: printing replies, plain or styled
- `loop`: the read-eval-print loop, interactive or line by line
- `session`, `completion`, `toolbar`, `key_bindings`: the prompt-toolkit prompt

Only `session`, `completion`, `toolbar`, `key_bindings` (and `output.styled_writer`)
import prompt-toolkit, so reading piped input never loads it.
"""
