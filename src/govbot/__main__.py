"""`python -m govbot`: the command line."""

from govbot.cli.main import main

main()
