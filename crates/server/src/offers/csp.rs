//! CSP margin offers (seed 000).
