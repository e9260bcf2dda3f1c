"""Placeholder: being written."""


class BodySanitizerPipeline:
    def process_item(self, item):
        return item
