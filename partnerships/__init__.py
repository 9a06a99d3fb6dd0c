"""Schools, partnerships, membership and the roles people hold in them."""
