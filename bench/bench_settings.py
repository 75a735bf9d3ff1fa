"""Settings for bench/server_pages.py: the production settings (config.settings,
read from the environment as an operator's are) with one change, the URLconf,
which adds a bare view (bench/bench_urls.py). Never used outside the benchmark."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
