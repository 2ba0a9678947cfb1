//! Event coding (issue 4). Work in progress.
