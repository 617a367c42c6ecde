"""publiccode.yml against the publiccode.yml standard, version 0.4 (https://yml.publiccode.tools): its
required keys, their types and the limits the standard sets (shortDescription at most 150 characters,
longDescription at least 150 and at most 10,000, features of at most 100 characters each, values from
the standard's lists)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# From the standard (0.4): the lists a value must come from.
PLATFORMS = {"web", "windows", "mac", "linux", "ios", "android"}
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
CATEGORIES = {
    "accounting", "agile-project-management", "applicant-tracking", "application-development",
    "appointment-scheduling", "backup", "billing-and-invoicing", "blog", "budgeting", "business-intelligence",
    "business-process-management", "cad", "call-center-management", "cloud-management", "collaboration",
    "communications", "compliance-management", "contact-management", "content-management", "crm",
    "customer-service-and-support", "data-analytics", "data-collection", "data-visualization",
    "digital-asset-management", "document-management", "donor-management", "e-commerce", "e-signature",
    "email-management", "email-marketing", "employee-management", "enterprise-project-management",
    "enterprise-social-networking", "erp", "event-management", "facility-management",
    "feedback-and-reviews-management", "financial-reporting", "fleet-management", "fundraising-management",
    "gamification", "geographic-information-systems", "grant-management", "graphic-design", "help-desk", "hr",
    "ide", "identity-management", "instant-messaging", "inventory-management", "it-asset-management",
    "it-development", "it-management", "it-security", "it-service-management", "knowledge-management",
    "learning-management-system", "marketing", "mind-mapping", "mobile-marketing", "mobile-payment",
    "network-management", "office", "online-booking", "online-community", "payment-gateway", "payroll",
    "predictive-analysis", "procurement", "productivity-suite", "project-collaboration", "project-management",
    "property-management", "real-estate-management", "remote-support", "resource-management", "sales-management",
    "seo", "service-desk-software", "social-media-management", "survey", "talent-management", "task-management",
    "taxes-management", "test-management", "time-management", "time-tracking", "translation",
    "video-conferencing", "video-editing", "visitor-management", "voip", "warehouse-management",
    "web-collaboration", "web-conferencing", "website-builder", "whistleblowing", "workflow-management",
}  # fmt: skip
SCOPES = {
    "agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy",
    "environment", "finance-and-economic-development", "foreign-affairs", "government", "healthcare",
    "infrastructures", "justice", "local-authorities", "manufacturing", "research", "science-and-technology",
    "security", "society", "sport", "tourism", "transportation", "welfare",
}  # fmt: skip


def document() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_the_required_keys_are_there_with_their_types():
    code = document()
    assert code["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "softwareVersion"):
        assert isinstance(code[key], str)
        assert code[key].strip()
    assert re.fullmatch(r"https://[^\s/]+/\S+", code["url"]), "url: the repository, over https"
    # a date in ISO 8601, as a string (YAML would otherwise read it as a date)
    assert isinstance(code["releaseDate"], str)
    datetime.date.fromisoformat(code["releaseDate"])
    assert code["platforms"] == ["web"]
    assert code["categories"]
    assert set(code["categories"]) <= CATEGORIES
    assert code["developmentStatus"] in DEVELOPMENT_STATUSES
    assert code["softwareType"] == "standalone/web"
    assert code["softwareType"] in SOFTWARE_TYPES
    assert set(code["intendedAudience"]["scope"]) <= SCOPES


def test_the_version_is_the_projects_and_the_licence_eupl():
    code = document()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{code["softwareVersion"]}"' in pyproject
    assert code["legal"]["license"] == "EUPL-1.2"
    assert 'license = { text = "EUPL-1.2" }' in pyproject


def test_the_descriptions_in_dutch_and_english_keep_the_standards_limits():
    descriptions = document()["description"]
    assert set(descriptions) == {"nl", "en"}
    for language, description in descriptions.items():
        short, long = description["shortDescription"].strip(), description["longDescription"].strip()
        assert 0 < len(short) <= 150, (language, len(short))
        assert 150 <= len(long) <= 10_000, (language, len(long))
        assert description["features"], language
        for feature in description["features"]:
            assert isinstance(feature, str)
            assert 0 < len(feature) <= 100, (language, feature)


def test_maintenance_localisation_and_dependencies():
    code = document()
    maintenance = code["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in {"internal", "community"}:
        assert maintenance["contacts"]
        assert all(contact["name"] for contact in maintenance["contacts"])
    if maintenance["type"] == "contract":
        assert maintenance["contractors"]
    localisation = code["localisation"]
    assert localisation["localisationReady"] is True
    assert localisation["availableLanguages"] == ["nl", "en"]
    dependencies = {item["name"]: item for item in code["dependsOn"]["open"]}
    assert dependencies["PostgreSQL"]["optional"] is True
    assert "Python" in dependencies
    for item in dependencies.values():
        assert set(item) <= {"name", "versionMin", "versionMax", "version", "optional"}
        for key in ("versionMin", "versionMax", "version"):
            assert key not in item or isinstance(item[key], str)
