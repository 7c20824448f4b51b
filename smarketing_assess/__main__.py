"""`python -m smarketing_assess` runs the command-line interface."""

from smarketing_assess.ui.cli import main

if __name__ == "__main__":
    main()
