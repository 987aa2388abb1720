"""The pieces of the report's PDF: cell formatting and one builder per section."""
