# The organization audited: the app and data accounts (their snapshots),
# plus one partner account the application works with on purpose.
org_id           = "o-acme000001"
trusted_accounts = ["444455556666"]
