"""REST API v1 (django-ninja): what an organisation's API keys may read and change."""
