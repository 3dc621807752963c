//! What the ISV and each CSP partner see of a margin offer.
