"""The Django admin: a platform administrator's fallback, never a second way to change what the
product's rules protect.

- Saves and deletes go through the same services as the pages (`roer.lifecycle`), so a closed scan's
  dates, groups and thresholds stay as they were, invitations are only removed while unsent, and an
  organisation's change reaches its questionnaire pages and benchmarks.
- What the product hides (who answered, who was reminded) is neither shown, filtered, searched nor
  accepted as a lookup in the address.
- A staff member without superuser rights sees only the organisations they belong to.
"""

from roer.web.admin import accounts, audit, instruments, organisations, scans, tasks

__all__ = ["accounts", "audit", "instruments", "organisations", "scans", "tasks"]
