"""`python -m smarketing_assess` runs the command-line interface."""

from smarketing_assess.cli import main

if __name__ == "__main__":
    main()
