"""``python -m gobridge``: see ``gobridge._cli``."""

from gobridge._cli import main

raise SystemExit(main())
