"""Reading: a path or bytes in, decoded text out, with its rendering (text, Markdown or HTML).

load.py decodes (encodings, byte-order marks, size bounds) and repairs legacy TCVN3/VNI fonts
(legacy_fonts.py); readers/ turns DOCX, DOC, PDF and scanned PDF into the text or HTML the
normaliser takes. Hands on: LoadedText (text, format, name, page starts)."""
