"""The names of the portal's roles; the groups and their permissions come from migrations."""

STAFF = "Staff"
REVIEWER = "Reviewer"
SIGNATORY = "Signatory"
ADMINISTRATOR = "Administrator"
ALL = (STAFF, REVIEWER, SIGNATORY, ADMINISTRATOR)
