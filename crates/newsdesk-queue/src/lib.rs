//! The work queue of newsdesk's scale-out mode: article ids on a NATS
//! JetStream work-queue stream.
//!
//! Each article is first stored, raw, under its content id in the shared
//! store; only then is its id published here, so that nothing the queue
//! acknowledged lives only in the queue. A publish carries the id as
//! `Nats-Msg-Id`, so that the stream keeps one message per id within its
//! duplicate window whatever the number of publishers or retries. Workers
//! pull ids through one durable consumer, acknowledge each after its
//! analysis is committed, and give up on an id after a bounded number of
//! deliveries ([`Delivery::delivered`] tells how many).
//!
//! - [`QueueUrl`]: `nats://HOST[:PORT]/SUBJECT`, what `--to` and `--from`
//!   take.
//! - [`WorkQueue`]: the stream (made if missing), publishing and depth.
//! - [`Consumer`] and [`Delivery`]: pulling, acknowledging, retrying,
//!   giving up.
//!
//! ```no_run
//! # async fn run() -> Result<(), newsdesk_queue::QueueError> {
//! use newsdesk_queue::{QueueUrl, WorkQueue};
//!
//! let url: QueueUrl = "nats://127.0.0.1:4222/newsdesk.articles".parse()?;
//! let queue = WorkQueue::connect(&url).await?;
//! queue.publish("1fd8506f26e025c0").await?;
//! let mut consumer = queue.consumer("workers", 5, newsdesk_queue::ACK_WAIT).await?;
//! for delivery in consumer.next_batch(10, std::time::Duration::from_secs(1)).await? {
//!     // … analyse and commit delivery.id …
//!     delivery.ack().await?;
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

use std::str::FromStr;
use std::time::Duration;

use async_nats::jetstream::{self, consumer::pull, consumer::AckPolicy, AckKind};
use futures_util::StreamExt;

/// What can go wrong with the queue.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The address is not `nats://HOST[:PORT]/SUBJECT`.
    #[error("{0:?} is not a queue address: write nats://HOST[:PORT]/SUBJECT (e.g. nats://127.0.0.1:4222/newsdesk.articles)")]
    BadUrl(String),
    /// The NATS server refused or failed an operation.
    #[error("NATS: cannot {what}: {reason}")]
    Nats {
        /// What was being done.
        what: &'static str,
        /// Why it failed, as the client says.
        reason: String,
    },
}

fn nats(what: &'static str) -> impl FnOnce(&dyn std::fmt::Display) -> QueueError {
    move |e| QueueError::Nats {
        what,
        reason: e.to_string(),
    }
}

/// A queue address: the NATS server and the subject article ids go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueUrl {
    /// The server, as the NATS client takes it (`nats://host:port`).
    pub server: String,
    /// The subject (`newsdesk.articles`).
    pub subject: String,
}

impl FromStr for QueueUrl {
    type Err = QueueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || QueueError::BadUrl(s.to_owned());
        let rest = s.trim().strip_prefix("nats://").ok_or_else(bad)?;
        let (host, subject) = rest.split_once('/').ok_or_else(bad)?;
        let subject_ok = !subject.is_empty()
            && subject.split('.').all(|t| {
                !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if host.is_empty() || !subject_ok {
            return Err(bad());
        }
        Ok(QueueUrl {
            server: format!("nats://{host}"),
            subject: subject.to_owned(),
        })
    }
}

impl QueueUrl {
    /// The stream's name: the subject with `.` as `_`, upper-cased
    /// (`NEWSDESK_ARTICLES`).
    pub fn stream(&self) -> String {
        self.subject.replace('.', "_").to_ascii_uppercase()
    }
}

/// How long the stream remembers a message id to refuse a duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(600);

/// How long a worker has to acknowledge an id before it is delivered
/// again (a worker that died holds nothing for longer).
pub const ACK_WAIT: Duration = Duration::from_secs(60);

/// The work-queue stream of one subject.
pub struct WorkQueue {
    js: jetstream::Context,
    stream: jetstream::stream::Stream,
    url: QueueUrl,
}

/// What a publish did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The message's position in the stream.
    pub sequence: u64,
    /// Whether the stream already held this id (within its duplicate
    /// window), so that nothing was added.
    pub duplicate: bool,
}

impl WorkQueue {
    /// Connects to the server of `url` and opens its stream, making it if
    /// missing: work-queue retention (a message goes when acknowledged),
    /// on disk, duplicates refused within [`DUPLICATE_WINDOW`].
    pub async fn connect(url: &QueueUrl) -> Result<WorkQueue, QueueError> {
        let client = async_nats::connect(&url.server)
            .await
            .map_err(|e| nats("connect")(&e))?;
        let js = jetstream::new(client);
        let stream = js
            .get_or_create_stream(jetstream::stream::Config {
                name: url.stream(),
                subjects: vec![url.subject.clone()],
                retention: jetstream::stream::RetentionPolicy::WorkQueue,
                storage: jetstream::stream::StorageType::File,
                duplicate_window: DUPLICATE_WINDOW,
                ..Default::default()
            })
            .await
            .map_err(|e| nats("open the stream")(&e))?;
        Ok(WorkQueue {
            js,
            stream,
            url: url.clone(),
        })
    }

    /// Publishes an article id, with the id as `Nats-Msg-Id`: a second
    /// publish of the same id within the duplicate window adds nothing.
    /// Returns once the stream has stored it.
    pub async fn publish(&self, id: &str) -> Result<Published, QueueError> {
        let published = self.publish_many(&[id.to_owned()], "").await?;
        published.into_iter().next().ok_or(QueueError::Nats {
            what: "publish",
            reason: "no acknowledgement".to_owned(),
        })
    }

    /// Publishes many article ids at once (each as [`WorkQueue::publish`]
    /// would, with `Nats-Msg-Id` the id followed by `suffix`): every
    /// publish is sent before the stream's acknowledgements are awaited.
    /// A sweeper publishing ids again after the duplicate window's start
    /// gives a new `suffix`, so that the stream takes them.
    pub async fn publish_many(
        &self,
        ids: &[String],
        suffix: &str,
    ) -> Result<Vec<Published>, QueueError> {
        let mut pending = Vec::with_capacity(ids.len());
        for id in ids {
            let mut headers = async_nats::HeaderMap::new();
            headers.insert("Nats-Msg-Id", format!("{id}{suffix}").as_str());
            pending.push(
                self.js
                    .publish_with_headers(self.url.subject.clone(), headers, id.clone().into())
                    .await
                    .map_err(|e| nats("publish")(&e))?,
            );
        }
        let mut published = Vec::with_capacity(pending.len());
        for ack in pending {
            let ack = ack.await.map_err(|e| nats("have a publish stored")(&e))?;
            published.push(Published {
                sequence: ack.sequence,
                duplicate: ack.duplicate,
            });
        }
        Ok(published)
    }

    /// How many ids wait in the stream (published, not yet acknowledged).
    pub async fn depth(&self) -> Result<u64, QueueError> {
        let mut stream = self.stream.clone();
        let info = stream
            .info()
            .await
            .map_err(|e| nats("read the stream's state")(&e))?;
        Ok(info.state.messages)
    }

    /// Ids the consumer `name` has still to hand out or to hear back
    /// about: not yet delivered, or delivered and not acknowledged. Unlike
    /// [`WorkQueue::depth`], this leaves out messages the consumer is done
    /// with that the stream still holds (an acknowledgement the server
    /// applied to the consumer but not to the stream before a restart).
    pub async fn outstanding(&self, name: &str) -> Result<u64, QueueError> {
        let mut consumer: jetstream::consumer::Consumer<pull::Config> = self
            .stream
            .get_consumer(name)
            .await
            .map_err(|e| nats("open the consumer")(&e))?;
        let info = consumer
            .info()
            .await
            .map_err(|e| nats("read the consumer's state")(&e))?;
        Ok(info.num_pending + info.num_ack_pending as u64)
    }

    /// The durable pull consumer `name` (made if missing) that every worker
    /// shares: explicit acknowledgement, redelivery of an id not
    /// acknowledged within `ack_wait` ([`ACK_WAIT`] is the workers'), at
    /// most `max_deliver` deliveries of an id (-1: no bound).
    pub async fn consumer(
        &self,
        name: &str,
        max_deliver: i64,
        ack_wait: Duration,
    ) -> Result<Consumer, QueueError> {
        let consumer = self
            .stream
            .get_or_create_consumer(
                name,
                pull::Config {
                    durable_name: Some(name.to_owned()),
                    ack_policy: AckPolicy::Explicit,
                    ack_wait,
                    max_deliver,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| nats("open the consumer")(&e))?;
        Ok(Consumer {
            consumer,
            max_deliver,
        })
    }
}

/// A worker's end of the queue.
pub struct Consumer {
    consumer: jetstream::consumer::Consumer<pull::Config>,
    max_deliver: i64,
}

/// One delivery of an article id.
pub struct Delivery {
    /// The article id.
    pub id: String,
    /// How many times this id has been delivered, this one included.
    pub delivered: i64,
    /// Whether this is the last delivery the consumer will make of it.
    pub last: bool,
    message: jetstream::Message,
}

impl Consumer {
    /// Up to `n` deliveries, waiting at most `wait` for the first. A
    /// request the server never answers (it restarted meanwhile) is given
    /// up a few seconds after `wait`, as an error, so that the caller asks
    /// again rather than waiting for ever.
    pub async fn next_batch(
        &mut self,
        n: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery>, QueueError> {
        let max_deliver = self.max_deliver;
        let consumer = &self.consumer;
        let fetch = async move {
            let mut batch = consumer
                .fetch()
                .max_messages(n)
                .expires(wait)
                .messages()
                .await
                .map_err(|e| nats("fetch")(&e))?;
            let mut out = Vec::new();
            while let Some(message) = batch.next().await {
                let message = message.map_err(|e| nats("receive")(&e))?;
                let delivered = message.info().map(|i| i.delivered).unwrap_or(1);
                out.push(Delivery {
                    id: String::from_utf8_lossy(&message.payload).into_owned(),
                    delivered,
                    last: max_deliver > 0 && delivered >= max_deliver,
                    message,
                });
            }
            Ok(out)
        };
        tokio::time::timeout(wait + FETCH_GRACE, fetch)
            .await
            .unwrap_or_else(|_| {
                Err(QueueError::Nats {
                    what: "fetch",
                    reason: "the server did not answer".to_owned(),
                })
            })
    }
}

/// How long after its own expiry a fetch is given up.
const FETCH_GRACE: Duration = Duration::from_secs(5);

impl Delivery {
    /// Done: the id leaves the queue. The acknowledgement is sent, not
    /// confirmed: should it be lost, the id is delivered again, and a
    /// worker finds its article done.
    pub async fn ack(self) -> Result<(), QueueError> {
        self.message
            .ack()
            .await
            .map_err(|e| nats("acknowledge")(&e))
    }

    /// Failed this time: deliver it again after `delay`.
    pub async fn retry(self, delay: Duration) -> Result<(), QueueError> {
        self.message
            .ack_with(AckKind::Nak(Some(delay)))
            .await
            .map_err(|e| nats("ask for a redelivery")(&e))
    }

    /// Given up: never deliver it again (the caller records it as failed).
    pub async fn give_up(self) -> Result<(), QueueError> {
        self.message
            .ack_with(AckKind::Term)
            .await
            .map_err(|e| nats("give up a delivery")(&e))
    }

    /// Still working on it: the ack wait starts again.
    pub async fn in_progress(&self) -> Result<(), QueueError> {
        self.message
            .ack_with(AckKind::Progress)
            .await
            .map_err(|e| nats("extend a delivery")(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_addresses_read_and_refuse() {
        let url: QueueUrl = "nats://127.0.0.1:4222/newsdesk.articles".parse().unwrap();
        assert_eq!(url.server, "nats://127.0.0.1:4222");
        assert_eq!(url.subject, "newsdesk.articles");
        assert_eq!(url.stream(), "NEWSDESK_ARTICLES");
        for bad in [
            "",
            "nats://",
            "nats://host",
            "nats://host/",
            "http://host/subject",
            "nats://host/a..b",
            "nats://host/a b",
            "nats://host/a.*",
            "nats:///subject",
        ] {
            assert!(bad.parse::<QueueUrl>().is_err(), "{bad:?}");
        }
    }
}
