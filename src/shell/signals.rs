//! SIGTERM and SIGINT request a graceful stop; a second signal exits at once.

use super::shared::Shared;
use std::sync::Arc;

pub async fn stop_on_signal(shared: Arc<Shared>) {
    wait_for_signal().await;
    tracing::info!("stop requested: draining, flushing and committing");
    shared.request_stop();
    wait_for_signal().await;
    tracing::warn!("second signal: exiting without draining");
    std::process::exit(130);
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("installing the SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
