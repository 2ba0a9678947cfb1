//! Exact and near-duplicate detection (issue 5). Work in progress.
