"""Placeholder: being written."""


class ValidationPipeline:
    def process_item(self, item):
        return item
