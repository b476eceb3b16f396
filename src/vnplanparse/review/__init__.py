"""Review: a reviewer's corrections to a parsed plan, as RFC 6902 patches, and the page to make them.

corrections.py addresses items and reads plans and patches, patches.py applies and summarises them,
page.py renders the self-contained review page (templates/), server.py serves it.
Hands on: corrected plans and patch files."""
