//! The work queue as the (synchronous) workers use it: a NATS client on a
//! runtime of its own, called from ordinary threads.

use std::future::Future;

use newsdesk_queue::{Consumer, QueueUrl, WorkQueue};

use crate::WorkerError;

/// A connection to the work queue, usable from any thread that is not
/// itself running asynchronous tasks (the workers' threads, the CLI).
pub struct Queue {
    runtime: tokio::runtime::Runtime,
    queue: WorkQueue,
    url: QueueUrl,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("url", &self.url).finish()
    }
}

impl Queue {
    /// Connects to the queue at `url` (making its stream if missing). The
    /// client reconnects by itself after the server restarts.
    pub fn connect(url: &QueueUrl) -> Result<Queue, WorkerError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("newsdesk-queue")
            .enable_all()
            .build()
            .map_err(WorkerError::Runtime)?;
        let queue = runtime.block_on(WorkQueue::connect(url))?;
        Ok(Queue {
            runtime,
            queue,
            url: url.clone(),
        })
    }

    /// The queue's address.
    pub fn url(&self) -> &QueueUrl {
        &self.url
    }

    /// Publishes `keys` (see [`WorkQueue::publish_many`]).
    pub fn publish(&self, keys: &[String], suffix: &str) -> Result<(), WorkerError> {
        for chunk in keys.chunks(1000) {
            self.runtime
                .block_on(self.queue.publish_many(chunk, suffix))?;
        }
        Ok(())
    }

    /// The keys waiting in the queue (published, not yet acknowledged).
    pub fn depth(&self) -> Result<u64, WorkerError> {
        Ok(self.runtime.block_on(self.queue.depth())?)
    }

    /// Keys the workers' consumer `name` has still to hand out or to hear
    /// back about (see [`WorkQueue::outstanding`]).
    pub fn outstanding(&self, name: &str) -> Result<u64, WorkerError> {
        Ok(self.runtime.block_on(self.queue.outstanding(name))?)
    }

    /// The workers' shared durable consumer.
    pub(crate) fn consumer(
        &self,
        name: &str,
        ack_wait: std::time::Duration,
    ) -> Result<Consumer, WorkerError> {
        // Deliveries are not bounded by the queue: the intake counts the
        // attempts (those that killed their worker too) and gives up.
        Ok(self
            .runtime
            .block_on(self.queue.consumer(name, -1, ack_wait))?)
    }

    /// Runs a queue operation to its end.
    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}
