//! Actor, organisation and place recognition (issue 3). Work in progress.
