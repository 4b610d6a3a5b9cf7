//! The work queue against a real NATS server with JetStream
//! (`NEWSDESK_TEST_NATS=$(scripts/nats-test-server DIR)`). Without the
//! variable the tests say they are skipped, unless
//! `NEWSDESK_REQUIRE_NATS=1` (CI), when that is a failure.

use std::time::Duration;

use newsdesk_queue::{QueueUrl, WorkQueue};

/// A queue address on the test server with a subject of its own, so that
/// each test has its own stream.
fn url(test: &str) -> Option<QueueUrl> {
    let Ok(server) = std::env::var("NEWSDESK_TEST_NATS") else {
        if std::env::var("NEWSDESK_REQUIRE_NATS").as_deref() == Ok("1") {
            panic!("NEWSDESK_TEST_NATS is not set (scripts/nats-test-server)");
        }
        // A skipped test says so where the runner shows it.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{test}: skipped (NEWSDESK_TEST_NATS is not set)");
        }
        return None;
    };
    let unique = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    Some(
        format!("{}/test.{test}.{unique}", server.trim_end_matches('/'))
            .parse()
            .expect("queue url"),
    )
}

const WAIT: Duration = Duration::from_millis(500);

#[tokio::test]
async fn an_id_published_twice_is_queued_once() {
    let Some(url) = url("dedupe") else { return };
    let queue = WorkQueue::connect(&url).await.expect("connect");
    let first = queue.publish("article-1").await.expect("publish");
    let again = queue.publish("article-1").await.expect("publish again");
    let other = queue.publish("article-2").await.expect("publish other");
    assert!(!first.duplicate);
    assert!(again.duplicate, "the stream refused the repeat");
    assert!(!other.duplicate);
    assert_eq!(queue.depth().await.expect("depth"), 2);
}

#[tokio::test]
async fn an_acknowledged_id_leaves_the_queue() {
    let Some(url) = url("ack") else { return };
    let queue = WorkQueue::connect(&url).await.expect("connect");
    queue.publish("a").await.expect("publish");
    queue.publish("b").await.expect("publish");
    let mut consumer = queue
        .consumer("workers", 3, Duration::from_secs(30))
        .await
        .expect("consumer");
    let batch = consumer.next_batch(10, WAIT).await.expect("fetch");
    let ids: Vec<&str> = batch.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"], "in publish order");
    assert!(batch.iter().all(|d| d.delivered == 1 && !d.last));
    for d in batch {
        d.ack().await.expect("ack");
    }
    // An acknowledgement is sent, not confirmed: the server applies it
    // soon after.
    let mut depth = queue.depth().await.expect("depth");
    for _ in 0..100 {
        if depth == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        depth = queue.depth().await.expect("depth");
    }
    assert_eq!(depth, 0);
    assert!(consumer
        .next_batch(10, WAIT)
        .await
        .expect("fetch")
        .is_empty());
}

#[tokio::test]
async fn a_failed_id_comes_back_until_its_last_delivery_then_is_given_up() {
    let Some(url) = url("retry") else { return };
    let queue = WorkQueue::connect(&url).await.expect("connect");
    queue.publish("flaky").await.expect("publish");
    let mut consumer = queue
        .consumer("workers", 2, Duration::from_secs(30))
        .await
        .expect("consumer");
    let first = consumer
        .next_batch(1, WAIT)
        .await
        .expect("fetch")
        .pop()
        .expect("one");
    assert_eq!((first.delivered, first.last), (1, false));
    first.retry(Duration::ZERO).await.expect("retry");
    let second = consumer
        .next_batch(1, Duration::from_secs(2))
        .await
        .expect("fetch")
        .pop()
        .expect("again");
    assert_eq!(second.id, "flaky");
    assert_eq!((second.delivered, second.last), (2, true));
    second.give_up().await.expect("give up");
    assert!(
        consumer
            .next_batch(1, WAIT)
            .await
            .expect("fetch")
            .is_empty(),
        "not delivered again"
    );
}

#[tokio::test]
async fn an_id_a_worker_never_acknowledged_goes_to_another_worker() {
    let Some(url) = url("dead-worker") else {
        return;
    };
    let queue = WorkQueue::connect(&url).await.expect("connect");
    queue.publish("held").await.expect("publish");
    // A worker takes it and dies without a word.
    {
        let mut dying = queue
            .consumer("workers", 5, Duration::from_secs(1))
            .await
            .expect("consumer");
        let taken = dying.next_batch(1, WAIT).await.expect("fetch");
        assert_eq!(taken.len(), 1);
    }
    // Another worker (the same durable consumer, a new connection) gets
    // it once the ack wait has passed.
    let again_queue = WorkQueue::connect(&url).await.expect("reconnect");
    let mut other = again_queue
        .consumer("workers", 5, Duration::from_secs(1))
        .await
        .expect("consumer");
    let mut got = Vec::new();
    for _ in 0..10 {
        got = other.next_batch(1, WAIT).await.expect("fetch");
        if !got.is_empty() {
            break;
        }
    }
    let d = got.pop().expect("redelivered");
    assert_eq!((d.id.as_str(), d.delivered), ("held", 2));
    d.ack().await.expect("ack");
}
