//! What each party sees of a CPPO buyer offer.
