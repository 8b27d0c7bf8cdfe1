//! How the commands that run until stopped (`mp4u watch`, `mp4u sandbox`) end: Ctrl-C, or
//! SIGTERM (what `systemctl stop` and `kill` send).

/// Waits for Ctrl-C or SIGTERM.
pub async fn until_stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
