//! Ingest jobs: a large ingest is answered at once (202) and runs on; its
//! state is read at `/api/v1/jobs/{id}`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use newsdesk_desk::ingest::IngestReport;
use serde::Serialize;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for the store's writer.
    Queued,
    /// Being read, analysed and stored.
    Running,
    /// Finished: `report` says what it did.
    Done,
    /// Failed: `error` says why (articles committed before are kept).
    Failed,
}

/// An ingest job.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Job {
    /// Its number.
    pub id: u64,
    /// Where it is.
    pub state: JobState,
    /// When it was received (RFC 3339, UTC).
    pub received_at: String,
    /// The size of its body, in bytes.
    pub bytes: usize,
    /// What it did, once done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<IngestReport>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How many finished jobs are remembered.
const KEPT: usize = 1000;

/// The server's jobs.
#[derive(Default)]
pub(crate) struct Jobs {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, Job>>,
}

impl Jobs {
    /// A new queued job for a body of `bytes`.
    pub fn start(&self, bytes: usize) -> Job {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Job {
            id,
            state: JobState::Queued,
            received_at: newsdesk_desk::now(),
            bytes,
            report: None,
            error: None,
        };
        if let Ok(mut jobs) = self.jobs.lock() {
            while jobs.len() >= KEPT {
                let oldest_done = jobs
                    .iter()
                    .find(|(_, j)| matches!(j.state, JobState::Done | JobState::Failed))
                    .map(|(&id, _)| id);
                match oldest_done {
                    Some(id) => jobs.remove(&id),
                    None => break,
                };
            }
            jobs.insert(id, job.clone());
        }
        job
    }

    /// Changes job `id`.
    pub fn update(&self, id: u64, f: impl FnOnce(&mut Job)) {
        if let Some(job) = self.jobs.lock().ok().as_mut().and_then(|j| j.get_mut(&id)) {
            f(job);
        }
    }

    /// Job `id`, if remembered.
    pub fn get(&self, id: u64) -> Option<Job> {
        self.jobs.lock().ok()?.get(&id).cloned()
    }
}
