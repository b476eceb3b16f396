"""Output: a parsed plan written out, never half a file and never over what was there.

validate.py checks a document against the committed schema, emit.py serialises it, files.py writes
atomically; exports.py, export_run.py and frames.py turn plans into tables, databases and
DataFrames; spacy_component.py hands a plan to spaCy. Hands on: files, streams and tables."""
