"""The logic layer: parsing, the store, search, scripts. Never imports Textual or Rich."""
