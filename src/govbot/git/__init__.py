"""Local git: the working tree, files at a ref, local commits, `govbot publish --local`."""
