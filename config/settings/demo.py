"""`make demo`: the local settings, serving the demo data as a visitor would meet a real site.

DEBUG is off (DEBUG=true turns it on), so a wrong address shows the 404 page instead of Django's
debug page listing every URL; `runserver --insecure` still serves the static files. Every page
carries the "데모 데이터" notice (config.context_processors.demo_mode): the notice comes with the
demo run, never with the production settings.
"""

from config.env import envbool

from .local import *  # noqa: F403

DEBUG = envbool("DEBUG", False)
DEMO_MODE = True
TEMPLATES = [
    {
        **TEMPLATES[0],  # noqa: F405
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],  # noqa: F405
            "context_processors": [
                *TEMPLATES[0]["OPTIONS"]["context_processors"],  # noqa: F405
                "config.context_processors.demo_mode",
            ],
        },
    }
]
