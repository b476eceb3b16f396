def extract_targets(text, sections, metadata):
    return []
