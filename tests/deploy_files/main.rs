//! Deployment files agree with the service.
//!
//! The Grafana dashboard, the Prometheus config and alerts, docker-compose.yml,
//! the Kubernetes manifests and the Dockerfile are plain text that the compiler
//! never sees. These tests parse them and check what would otherwise break only
//! in production: every PromQL expression names a metric that exists in
//! `src/metrics/names.rs`, every environment override names a real config key,
//! ports and probe paths match the metrics listener (9898, /health, /ready),
//! and the termination grace period outlasts the 30 s shutdown deadline.
//!
//! One module per kind of file: `monitoring` (metric catalogue, dashboard,
//! alerts, scrape config), `compose`, `kubernetes`, `image` (Dockerfile and
//! docs); `common` holds the readers and the service's facts they check
//! against.

mod common;
mod compose;
mod image;
mod kubernetes;
mod monitoring;
