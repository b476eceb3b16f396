"""The committed JSON Schema of vnplanparse output."""
