"""News sites as data: profiles (``seeds/sites/*.toml``) and the extraction they drive.

Adding a site is a profile plus a saved page to test it on; no code.
"""

from crawler.sites.clean import clean_node, clean_nodes, html_text
from crawler.sites.detect import detect_profile, profile_for_url, self_urls
from crawler.sites.extract import (
    ListingEntry,
    extract_article,
    extract_listing,
    media_category,
    next_page_url,
    page_kind,
    post_id_from_url,
    site_label,
)
from crawler.sites.profile import (
    DEFAULT_PROFILES_DIR,
    FieldRule,
    ListingRule,
    ProfileError,
    Selection,
    SiteProfile,
    load_profile_file,
    load_profiles,
    parse_profile,
)

__all__ = [
    "DEFAULT_PROFILES_DIR",
    "FieldRule",
    "ListingEntry",
    "ListingRule",
    "ProfileError",
    "Selection",
    "SiteProfile",
    "clean_node",
    "clean_nodes",
    "detect_profile",
    "extract_article",
    "extract_listing",
    "html_text",
    "load_profile_file",
    "load_profiles",
    "media_category",
    "next_page_url",
    "page_kind",
    "parse_profile",
    "post_id_from_url",
    "profile_for_url",
    "self_urls",
    "site_label",
]
