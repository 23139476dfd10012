//! The stand-ins' own thread and runtime.

use anyhow::Context;

/// A thread and runtime of the stand-ins' own: their servers run there, not on the
/// test's thread, so what they do (and log) stays apart from the code under test, and a
/// test can capture the functions' logs with a subscriber scoped to its own thread.
pub(super) struct StandInThread {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl StandInThread {
    /// Starts the thread and its runtime, which idle until the stand-ins are started on it.
    pub(super) fn start() -> anyhow::Result<Self> {
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("stand-ins".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => return drop(handle_tx.send(Err(e))),
                };
                if handle_tx.send(Ok(runtime.handle().clone())).is_ok() {
                    // Runs the servers until the stack is dropped (or the process ends).
                    runtime.block_on(async move { drop(stopped.await) });
                }
            })
            .context("starting the stand-ins' thread")?;
        let handle = handle_rx
            .recv()
            .context("the stand-ins' thread did not start")?
            .context("the stand-ins' runtime")?;
        Ok(Self {
            handle,
            stop: Some(stop),
        })
    }

    /// Runs `future` (a stand-in's `start`) on the stand-ins' runtime, so the tasks it
    /// spawns live there.
    pub(super) async fn run<F>(&self, future: F) -> anyhow::Result<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle
            .spawn(future)
            .await
            .context("starting a stand-in")
    }
}

impl Drop for StandInThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
