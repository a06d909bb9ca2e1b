//! End-to-end tests of the real app (being written).
