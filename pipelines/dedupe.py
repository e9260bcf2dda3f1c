"""Placeholder: being written."""


class DedupePipeline:
    def process_item(self, item):
        return item
