"""Extraction: what the plan asks for, read from the text within its sections.

numbers.py, units.py and words.py read quantities, units and words (words.py runs underthesea's
CRF models with vi_tokenizer.py's copy of its tokeniser, never importing the underthesea package);
targets/ finds numeric targets (chỉ tiêu), assignments/ the agencies that lead and partner
(chủ trì / phối hợp) with agencies.py; enrich.py derives canonical quantities, deadline precision
and places once items are found.
Hands on: Target and Assignment items."""
