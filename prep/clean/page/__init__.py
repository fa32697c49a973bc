"""Main-content extraction for plain text: the article's lines among a page dump's (model.py)."""
