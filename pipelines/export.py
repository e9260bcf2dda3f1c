"""Placeholder: being written."""


class JekyllPostExporter:
    def process_item(self, item):
        return item
