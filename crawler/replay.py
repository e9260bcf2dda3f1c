"""Placeholder: being written."""


class ReplayAddon:
    def update_settings(self, settings):
        pass
