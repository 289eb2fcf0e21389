"""The app as gunicorn serves it in tests that need real worker processes: the product as
configured by FORUM_* variables, with rate limits off (they are tested on their own; here
many sign-ups come from one address on purpose), on the tests' clock (1 May 2011, before the
test forums: their public forms are open)."""
from __future__ import annotations

from config import TestConfig
from forum import create_app
from forum.extensions import limiter

app = create_app()
app.config["CLOCK"] = TestConfig.CLOCK
limiter.enabled = False
