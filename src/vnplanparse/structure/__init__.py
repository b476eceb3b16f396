"""Structure: the plan's skeleton, read from the normalised text.

markers.py knows section markers and zones, headings.py finds the heading lines, sections.py builds
the numbered tree; metadata.py reads the header, references.py the documents cited, documents.py
holds their shared vocabulary. Hands on: the Section tree (with a SectionIndex), Metadata and
Reference items."""
