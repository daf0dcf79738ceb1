"""Print the tag that embeds the chat widget, and the CSP lines the host page needs.

faqbot widget --url https://faq.example.org
faqbot widget --url https://faq.example.org --discreet --title "Questions?"
"""

from __future__ import annotations

import argparse
import html

from faqbot.cli.environment import Environment, ExitStatus

NAME = "widget"
HELP = "print the snippet that embeds the chat widget and the CSP the host page needs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot widget`."""
    parser.add_argument(
        "--url",
        default="http://127.0.0.1:8000",
        help="where `faqbot serve` is reachable (default: http://127.0.0.1:8000)",
    )
    parser.add_argument("--title", help="the panel's title")
    parser.add_argument("--accent", help="accent colour, any CSS colour")
    parser.add_argument("--position", choices=("right", "left"), help="corner of the launcher")
    parser.add_argument("--theme", choices=("light", "dark", "auto"), help="colour theme")
    parser.add_argument(
        "--discreet", action="store_true", help="neutral launcher label and a quick-exit button"
    )
    parser.add_argument(
        "--nonce",
        action="store_true",
        help="show the nonce form (for pages whose CSP uses script nonces)",
    )


def run(args: argparse.Namespace, env: Environment) -> int:
    """Print the snippet, then the Content-Security-Policy directives."""
    origin = args.url.rstrip("/")
    if not origin.startswith(("https://", "http://")):
        env.err("--url must start with https:// or http://")
        return ExitStatus.USAGE
    env.out("Add this tag to every page that should show the chat (before </body>):")
    env.out("")
    env.out("  " + snippet(origin, args))
    env.out("")
    env.out("If the page sends a Content-Security-Policy, it needs these sources")
    env.out("(add them to the directives you already have):")
    env.out("")
    for line in csp_lines(origin, args.nonce):
        env.out("  " + line)
    env.out("")
    env.out("The faqbot server must allow the page's origin: faqbot serve --origins <page origin>")
    env.out("The ?v= part names this release of the widget, so browsers may cache it for a")
    env.out("year: print the tag again after upgrading faqbot.")
    return ExitStatus.OK


def snippet(origin: str, args: argparse.Namespace) -> str:
    """The one `<script>` tag, with a `data-` attribute per option given."""
    from faqbot.web.assets import widget_path  # light: no web framework behind it

    attributes = [f'src="{html.escape(origin)}{widget_path()}"', "defer"]
    options = {
        "title": args.title,
        "accent": args.accent,
        "position": args.position,
        "theme": args.theme,
    }
    attributes += [f'data-{k}="{html.escape(v)}"' for k, v in options.items() if v]
    if args.discreet:
        attributes.append('data-discreet="true"')
    if args.nonce:
        attributes.append('nonce="RANDOM-PER-RESPONSE"')
    return f"<script {' '.join(attributes)}></script>"


def csp_lines(origin: str, nonce: bool) -> list[str]:
    """The directives a strict host policy needs for the widget to load and talk."""
    if nonce:
        return [
            "script-src 'nonce-RANDOM-PER-RESPONSE';",
            f"connect-src {origin};",
            "style-src 'nonce-RANDOM-PER-RESPONSE';   (only read by browsers without",
            "                                          constructable stylesheets)",
        ]
    return [
        f"script-src {origin};",
        f"connect-src {origin};",
        "(style-src needs nothing: the widget's styles are a constructed stylesheet in",
        " its shadow root; for Safari before 16.4, use --nonce)",
    ]
