import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The worker's long-lived objects out of the garbage collector's way (lib/heap.py).
from lib import heap  # noqa: E402 - Django is set up first

heap.install()
