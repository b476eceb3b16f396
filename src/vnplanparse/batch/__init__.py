"""Batch: many plans converted in parallel with a manifest, resumable.

inputs.py lists and reads inputs, engines.py runs conversions (serial, local processes, Dask),
outputs.py writes the run's outputs and tables, run.py ties them together (run_batch).
Hands on: a run folder (outputs, manifest.jsonl, errors.jsonl)."""
