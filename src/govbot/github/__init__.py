"""The GitHub edge: the only PyGithub user, payload helpers, bot state, the Actions runtime, the
router and handlers, publish on GitHub."""
