//! CPPO resale authorizations and buyer offers (seeds 003, 004).
