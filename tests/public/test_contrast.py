"""The site's colour pairs keep a readable contrast (WCAG 2 ratio of at least 4.5:1 for text)."""

import re
from pathlib import Path

from django.conf import settings

PAIRS = [
    ("--text", "--background"),
    ("--muted", "--background"),
    ("--link", "--background"),
    ("--muted", "--surface"),
    ("--link", "--surface"),
    ("--ok", "--ok-bg"),
    ("--bad", "--bad-bg"),
    ("#ffffff", "--accent"),  # header text and buttons
]


def luminance(hex_colour):
    channels = [int(hex_colour[i: i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colour_pairs_are_readable():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    variables = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", css))

    def colour(name):
        return name if name.startswith("#") else variables[name]

    for foreground, background in PAIRS:
        ratio = contrast(colour(foreground), colour(background))
        assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}:1"


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#ffffff") < 4.5
