"""Grammar data files (YAML), shipped with the package."""
