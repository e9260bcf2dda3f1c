"""Placeholder: being written."""


class DateNormalizationPipeline:
    def process_item(self, item):
        return item
