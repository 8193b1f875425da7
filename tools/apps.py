from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Top floor: the demo data loader and the benchmark; reads every app, owns no model."""

    name = "tools"
    verbose_name = "Tools"
