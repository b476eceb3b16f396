"""Normalising: a LoadedText in, one clean plain text out with its layout (NormalizedText).

normalize.py cleans characters and dispatches by rendering: markdown.py and html.py render into
plain lines through layout.py's builder; grids.py recovers table columns from runs of cells;
tables.py reads each laid-out table into rows and column roles; folding.py folds text for
comparison. Hands on: NormalizedText (text, tables, bold runs) and Table."""
