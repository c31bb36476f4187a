"""`python -m targets` runs the CLI (tests use it to start a real server)."""

from targets.cli import main

if __name__ == "__main__":
    main()
