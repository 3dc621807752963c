//! What each viewer sees of a multiparty offer.
