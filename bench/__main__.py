"""``python -m bench`` (``make bench``): every benchmark, each beside its own baselines."""

from bench import seminars

if __name__ == "__main__":
    seminars.main()
