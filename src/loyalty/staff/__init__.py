"""Staff accounts (HR admins, partner admins, admins): invitations and what admins do with them."""
