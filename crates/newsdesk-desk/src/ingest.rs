//! Ingest sessions: read → analyse → cluster → commit → re-link.
//!
//! An [`Ingestor`] holds a store and the clusterer restored from it. Each
//! article read goes through the per-article stages (the text stage with
//! date inference, and an optional sentence embedding) on every core, a
//! chunk at a time; the order-sensitive clustering then assigns the
//! analysed articles one by one, in input order, on one thread, while the
//! next chunk is being analysed. Articles are committed with the
//! records of the clusterer's state they changed in one transaction, so
//! the store is always consistent: every [`IngestOptions::commit_every`]
//! articles, or sooner once [`IngestOptions::commit_interval`] has passed
//! since the last commit (a slow stream's articles are not held back).
//! New events then join stories as they open (online), and the whole
//! store's events are re-linked into stories in one batch when
//! [`StoryLinking`] says: after every ingest (`Batch`), never (`Online`),
//! or (`Auto`, the default) once the articles linked online since the last
//! batch re-linking are a share of the store ([`RelinkWhen`]), so that a
//! small ingest into a large store costs what its articles cost.
//!
//! [`cluster_inputs`] is the same pipeline without a store, for the
//! stateless `cluster` and `eval clustering`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use newsdesk_cluster::events::{group_events, EventGrouping};
use newsdesk_cluster::linking::{BatchLinking, StoryLinker};
use newsdesk_cluster::{ArticleFeatures, ClusterConfig, Clusterer};
use newsdesk_ingest::ReadOptions;
use newsdesk_model::{Article, ArticleId, Assignment, Diagnostic, Document, Severity};
use newsdesk_store::{CommitReport, IngestBatch, MetadataCorrection, Store};

use crate::story_ids::{stable_ids, OnlineIds};
use serde::Serialize;

use crate::analysis::analyze;
use crate::corrections::LinkAmendments;
use crate::order::{read_in_order, InputOrder};
use crate::DeskError;

/// How events are linked into stories.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StoryLinking {
    /// Once every article is clustered, all events at once
    /// ([`StoryLinker`]); an ingest re-links the whole store.
    Batch(BatchLinking),
    /// Each new event joins the story it resembles most as it opens, and
    /// never moves; the next ingest that links in batch re-links the
    /// whole store.
    Online,
    /// Each new event joins a story as it opens (as `Online`), and the
    /// whole store is re-linked in batch (as `Batch`) when the articles
    /// linked online since the last batch re-linking are due
    /// ([`RelinkWhen::due`]). A collection read whole (`cluster`, `eval`)
    /// is linked in batch.
    Auto(BatchLinking, RelinkWhen),
}

impl Default for StoryLinking {
    /// [`StoryLinking::Auto`] with the default thresholds.
    fn default() -> Self {
        StoryLinking::Auto(BatchLinking::default(), RelinkWhen::default())
    }
}

impl StoryLinking {
    /// The batch thresholds, unless linking is online only.
    fn batch(self) -> Option<BatchLinking> {
        match self {
            StoryLinking::Batch(linking) | StoryLinking::Auto(linking, _) => Some(linking),
            StoryLinking::Online => None,
        }
    }
}

/// When [`StoryLinking::Auto`] re-links the whole store in batch: the
/// articles linked online since the last batch re-linking (the
/// *awaiting* ones) are measured against those it linked (the *linked*
/// ones). A batch re-linking reads every stored article back and costs
/// about 0.1 s per thousand articles (NeuS train, 6,393 articles: 0.56 s);
/// linking one article online costs milliseconds.
///
/// Both tests only grow within an ingest (the linked articles stay what
/// they were until the next re-linking), so an ingest stopped and run
/// again reaches the decision the uninterrupted one did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelinkWhen {
    /// The awaiting articles are due once they are this share of the
    /// linked ones.
    pub share: f64,
    /// A store whose linked articles are at most this many is re-linked
    /// after every ingest that adds anything (it takes under 0.1 s).
    pub small_store: u64,
}

impl Default for RelinkWhen {
    /// 5% of the store, and stores of up to 1,000 linked articles always.
    fn default() -> Self {
        RelinkWhen {
            share: 0.05,
            small_store: 1000,
        }
    }
}

impl RelinkWhen {
    /// Whether `awaiting` articles linked online, in a store whose last
    /// batch re-linking linked `linked`, are due for a batch re-linking.
    pub fn due(&self, linked: u64, awaiting: u64) -> bool {
        awaiting > 0
            && (linked <= self.small_store || awaiting as f64 >= self.share * linked as f64)
    }
}

/// A sentence-embedding model for the clusterer's learned decision
/// (optional; the CLI implements it with `newsdesk-embed` when built with
/// the `neural` feature). Called from several threads at once.
pub trait Embedder: Sync {
    /// The unit-length embedding of a document, or why there is none (the
    /// article is then clustered on its words and names alone, with a
    /// warning).
    fn embed(&self, doc: &Document) -> Result<Vec<f32>, String>;
}

/// What an ingest or a clustering run is asked to do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// How inputs are read (metadata defaults, size limit).
    pub read: ReadOptions,
    /// The order articles are clustered in.
    pub order: InputOrder,
    /// How events are linked into stories.
    pub linking: StoryLinking,
    /// How a collection read whole (`cluster`, `eval`) is grouped into
    /// events when its stories are linked in batch: by
    /// [`EventGrouping::Batch`] (the default), the same events in any
    /// order; online linking keeps the online clusterer's events.
    pub events: EventGrouping,
    /// The clusterer's configuration (thresholds, learned decision).
    pub cluster: ClusterConfig,
    /// Most articles per transaction (at least 1).
    pub commit_every: usize,
    /// Articles are committed once this long has passed since the last
    /// commit, even fewer than `commit_every`.
    pub commit_interval: std::time::Duration,
    /// Threads that analyse articles (0: one per core).
    pub threads: usize,
    /// When another process is writing to the store: wait for it (the
    /// default), or fail at once with [`newsdesk_store::StoreError::Busy`].
    pub wait_for_writer: bool,
    /// Set (by a signal handler, say) to stop the ingest early: no article
    /// read after it is taken, what was read is committed and the stories
    /// re-linked as usual, and the report says it stopped.
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            read: ReadOptions::default(),
            order: InputOrder::Given,
            linking: StoryLinking::default(),
            events: EventGrouping::default(),
            cluster: ClusterConfig::default(),
            commit_every: COMMIT_EVERY,
            commit_interval: COMMIT_INTERVAL,
            threads: 0,
            wait_for_writer: true,
            stop: None,
        }
    }
}

/// Articles per transaction by default: each commit stores its articles,
/// their assignments and the clusterer's state together, and memory stays
/// bounded on large ingests.
pub const COMMIT_EVERY: usize = 500;

/// The longest time an analysed article waits for its commit by default
/// (while articles keep arriving).
pub const COMMIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// Articles analysed together, in parallel, while the chunk before is
/// clustered.
const CHUNK: usize = 128;

/// The first chunk is smaller, so that clustering starts soon.
const FIRST_CHUNK: usize = 16;

/// Articles read back from the store at a time when re-linking.
const RELINK_CHUNK: usize = 1000;

/// What an ingest did.
#[derive(Debug, Default, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestReport {
    /// Articles read from the inputs.
    pub read: usize,
    /// Articles added to the store.
    pub added: usize,
    /// Articles already in the store (or read twice in this ingest).
    pub already_present: usize,
    /// Stored articles read again with another date, outlet, address or
    /// language, which now replace the stored ones.
    pub updated: usize,
    /// Inputs or records skipped as unreadable (error diagnostics).
    pub skipped: usize,
    /// Warnings (the article was kept).
    pub warnings: usize,
    /// Articles whose story number changed when the store's events were
    /// linked into stories in batch after the ingest (this ingest's
    /// articles included: they are first stored with their online story).
    pub story_updates: usize,
    /// Articles in the store after the ingest.
    pub articles_in_store: u64,
    /// Articles linked into stories online, whose story may still change
    /// at the next batch re-linking ([`StoryLinking::Auto`] ingests only).
    #[serde(skip_serializing_if = "is_zero")]
    pub awaiting_relink: u64,
    /// Whether the ingest was stopped early ([`IngestOptions::stop`]):
    /// articles read after that were not taken (`read` counts them) and
    /// the same ingest run again takes them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stopped: bool,
    /// Every problem met, naming the file (and line).
    pub diagnostics: Vec<Diagnostic>,
    /// Where the time went (not serialised: output stays the same from
    /// run to run).
    #[serde(skip)]
    pub timings: StageTimings,
}

/// Seconds spent in each stage of an ingest. Stages on different threads
/// overlap (analysis with clustering and commits, the last commit with
/// re-linking), so they add up to more than the ingest took.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct StageTimings {
    /// Reading and the per-article stages (text, dates, embeddings), summed
    /// over the threads that ran them.
    pub analysis: f64,
    /// Waiting for analysis to finish (wall time the clustering thread had
    /// nothing to do).
    pub waiting: f64,
    /// Clustering, in order, on one thread.
    pub clustering: f64,
    /// Saving the clusterer's state (serialising it).
    pub state: f64,
    /// Committing to the store (the state included).
    pub commit: f64,
    /// Re-linking the store's events into stories (reading the stored
    /// documents back included).
    pub relink: f64,
}

/// An ingest session over one store.
pub struct Ingestor<'s> {
    store: &'s mut dyn Store,
    clusterer: Clusterer,
    embedder: Option<&'s dyn Embedder>,
    options: IngestOptions,
    /// The clustering features of the articles this session stored, so
    /// that re-linking need not read them back and count their terms
    /// again (batch linking only).
    stored_features: HashMap<ArticleId, ArticleFeatures>,
    /// The intake place the session's last commit records
    /// ([`Ingestor::assemble`]).
    intake_through: Option<u64>,
    /// The ids the last assembling session gave its stories, for the
    /// next ([`Ingestor::assemble`]); dropped by a re-linking.
    online_ids: Option<OnlineIds>,
    /// Ids known to be absent from the store, for the next session
    /// ([`Ingestor::assemble`] looks them up together).
    absent: BTreeSet<ArticleId>,
    /// Whether the session assembles articles workers analysed: the
    /// re-linking an ingest ends with is left to
    /// [`Ingestor::relink_if_due`].
    assembling: bool,
}

impl std::fmt::Debug for Ingestor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingestor")
            .field("articles_seen", &self.clusterer.articles_seen())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'s> Ingestor<'s> {
    /// Opens a session on `store`: takes its writer lease (one process
    /// clusters into a store at a time; see
    /// [`IngestOptions::wait_for_writer`]), then restores the clusterer it
    /// saved (or a new one for an empty store).
    pub fn open(store: &'s mut dyn Store, options: IngestOptions) -> Result<Self, DeskError> {
        store.lock_writer(options.wait_for_writer)?;
        let records = store.cluster_records()?;
        let clusterer = if !records.is_empty() {
            Clusterer::restore_records(&records, options.cluster)?
        } else {
            // A store written before the state was kept as records holds
            // it as one blob; the first commit replaces it.
            match store.cluster_state()? {
                Some(bytes) => Clusterer::restore(&bytes, options.cluster)?,
                None => Clusterer::new(options.cluster),
            }
        };
        Ok(Ingestor {
            store,
            clusterer,
            embedder: None,
            options,
            stored_features: HashMap::new(),
            intake_through: None,
            absent: BTreeSet::new(),
            online_ids: None,
            assembling: false,
        })
    }

    /// The store of the session.
    pub(crate) fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// The store of the session, to write.
    pub(crate) fn store_mut(&mut self) -> &mut dyn Store {
        &mut *self.store
    }

    /// Clusters with sentence embeddings from `embedder`.
    pub fn with_embedder(mut self, embedder: &'s dyn Embedder) -> Self {
        self.embedder = Some(embedder);
        self
    }

    /// Reads, analyses, clusters and stores every article of `paths`
    /// (files, directories, `-` for stdin) in the session's order, then
    /// re-links the store's stories (batch linking, when anything was
    /// added). `on_input(done, total)` reports progress over the inputs.
    ///
    /// Bad input is reported in the report's diagnostics, never an error;
    /// an error is a store that cannot be written (articles committed
    /// before it are kept).
    pub fn ingest_paths(
        &mut self,
        paths: &[PathBuf],
        on_input: &mut dyn FnMut(usize, usize),
    ) -> Result<IngestReport, DeskError> {
        let options = self.options.read.clone();
        let order = self.options.order;
        self.run(|each| read_in_order(paths, &options, order, on_input, &mut |a| each(a, None)))
    }

    /// As [`Ingestor::ingest_paths`], for articles already read (in the
    /// order given: the session's [`IngestOptions::order`] is applied).
    pub fn ingest_articles(&mut self, articles: Vec<Article>) -> Result<IngestReport, DeskError> {
        let articles = crate::order::in_order(articles, self.options.order);
        self.run(|each| {
            for article in articles {
                each(article, None);
            }
            Vec::new()
        })
    }

    /// Clusters and stores articles that workers of the scale-out mode
    /// analysed, each with the article as read, in ingest order, as
    /// [`Ingestor::ingest_articles`] would the articles as read (the
    /// analysis is the same): the same stories come of the same articles
    /// in the same order. All go in one commit, which records `through`
    /// ([`Store::intake_through`]): the intake's place of the last of
    /// them, failed ones passed over included. The report leaves
    /// `articles_in_store` and `awaiting_relink` at 0, and the re-linking
    /// an ingest ends with to [`Ingestor::relink_if_due`].
    pub fn assemble(
        &mut self,
        analysed: Vec<(Article, Document)>,
        through: u64,
    ) -> Result<IngestReport, DeskError> {
        let kept = (self.options.commit_every, self.options.commit_interval);
        self.options.commit_every = usize::MAX;
        self.options.commit_interval = std::time::Duration::MAX;
        self.intake_through = Some(through);
        self.assembling = true;
        // Looked up together, not one by one as they are accepted.
        let ids: Vec<ArticleId> = analysed.iter().map(|(a, _)| a.id.clone()).collect();
        let present = self.store.existing_ids(&ids)?;
        self.absent = ids.into_iter().filter(|id| !present.contains(id)).collect();
        let report = self.run(|each| {
            for (article, document) in analysed {
                each(article, Some(document));
            }
            Vec::new()
        });
        (self.options.commit_every, self.options.commit_interval) = kept;
        self.assembling = false;
        self.absent.clear();
        let report = report?;
        // Nothing new was committed (every article was present already,
        // or failed): the place is recorded alone.
        if self.intake_through.take().is_some() && self.store.intake_through()? < through {
            self.store.commit(&IngestBatch {
                intake_through: Some(through),
                ..IngestBatch::default()
            })?;
        }
        Ok(report)
    }

    /// What an ingest ends with, for articles taken by
    /// [`Ingestor::assemble`] (which leaves it out): the store's stories
    /// are linked again in batch if that is due by the session's
    /// linking ([`StoryLinking::Auto`]: by its [`RelinkWhen`];
    /// [`StoryLinking::Batch`]: whenever articles await it; online
    /// linking: never). Returns how many articles changed story, `None`
    /// when nothing was due. Assembling what workers analysed and
    /// calling this whenever the assembler has caught up gives the
    /// stories that ingests of the same articles, ending at the same
    /// points, would give.
    pub fn relink_if_due(&mut self) -> Result<Option<usize>, DeskError> {
        let (linking, due) = match self.options.linking {
            StoryLinking::Online => return Ok(None),
            StoryLinking::Batch(linking) => {
                let (due, awaiting) = self.relink_due(RelinkWhen::default())?;
                (linking, due || awaiting > 0)
            }
            StoryLinking::Auto(linking, when) => (linking, self.relink_due(when)?.0),
        };
        if !due {
            return Ok(None);
        }
        self.relink_with(linking).map(Some)
    }

    /// The whole session: `read` hands every article to its argument and
    /// returns the diagnostics.
    fn run(
        &mut self,
        read: impl FnOnce(&mut dyn FnMut(Article, Option<Document>)) -> Vec<Diagnostic>,
    ) -> Result<IngestReport, DeskError> {
        let keep_features = self.options.linking.batch().is_some();
        // The stored articles' events and stories, for the ids of the
        // stories the clusterer puts new articles in.
        let kept = self.online_ids.take().filter(|_| self.assembling);
        let online = if let Some(kept) = kept {
            kept
        } else if self.store.last_seq()? == 0 {
            if self.store.relinked_through()?.is_none() {
                // No batch re-linking has numbered any article of a new
                // store: every article it gets awaits one (an older store
                // without this record is taken as re-linked throughout).
                self.store.commit(&IngestBatch {
                    relinked_through: Some(0),
                    ..IngestBatch::default()
                })?;
            }
            OnlineIds::new([], |_| None, 1)
        } else {
            let clusterer = &self.clusterer;
            OnlineIds::new(
                self.store.event_stories()?,
                |event| clusterer.story_of_event(event),
                self.store.next_story_id(u64::MAX)?,
            )
        };
        let mut session = Session {
            online,
            store: &mut *self.store,
            clusterer: &mut self.clusterer,
            stored_features: keep_features.then_some(&mut self.stored_features),
            pending: !matches!(self.options.linking, StoryLinking::Auto(..)),
            commit_every: self.options.commit_every.max(1),
            stop: self.options.stop.clone(),
            commit_interval: self.options.commit_interval,
            last_commit: Instant::now(),
            report: IngestReport::default(),
            batch: IngestBatch::default(),
            seen_in_run: BTreeMap::new(),
            absent: std::mem::take(&mut self.absent),
            failure: None,
            warnings: Vec::new(),
        };
        let mut pipeline = Pipeline::new(self.options.threads, self.embedder, self.options.cluster);
        let mut diagnostics = read(&mut |article: Article, analysed: Option<Document>| {
            if let Some(article) = session.accept(article) {
                // Analysed before it was accepted: it takes the id the
                // session gave it (analysis does not read the id).
                let input = match analysed {
                    Some(mut doc) => {
                        doc.article.id = article.id;
                        Input::Analysed(Box::new(doc))
                    }
                    None => Input::Read(article),
                };
                pipeline.push(input, &mut |prepared| session.consume(prepared));
            }
        });
        pipeline.finish(&mut |prepared| session.consume(prepared));
        session.report.timings.analysis = pipeline.analysis_seconds;
        session.report.timings.waiting = pipeline.waiting_seconds;
        if let Some(e) = session.failure.take() {
            return Err(e);
        }
        diagnostics.append(&mut session.warnings);
        let Session {
            mut report,
            mut batch,
            online,
            ..
        } = session;

        if !batch.documents.is_empty() {
            batch.intake_through = self.intake_through.take();
        }
        match self.options.linking {
            StoryLinking::Batch(linking) if !self.assembling => {
                if report.added > 0 || !batch.documents.is_empty() {
                    self.commit_and_relink(&mut batch, &mut report, linking)?;
                }
                // An ingest that stopped before its re-linking, or one that
                // linked online, left the stories to the next batch ingest,
                // even one that adds nothing.
                if self.store.relink_pending()? {
                    let started = Instant::now();
                    report.story_updates += self.relink_with(linking)?;
                    report.timings.relink += started.elapsed().as_secs_f64();
                }
            }
            StoryLinking::Online | StoryLinking::Batch(_) => {
                commit(
                    &mut *self.store,
                    &mut batch,
                    &mut self.clusterer,
                    &mut report,
                    true,
                )?;
            }
            StoryLinking::Auto(linking, when) => {
                commit(
                    &mut *self.store,
                    &mut batch,
                    &mut self.clusterer,
                    &mut report,
                    false,
                )?;
                // An assembler decides when it has caught up
                // (`relink_if_due`), not after every chunk.
                if !self.assembling {
                    let (due, awaiting) = self.relink_due(when)?;
                    if due {
                        let started = Instant::now();
                        report.story_updates += self.relink_with(linking)?;
                        report.timings.relink += started.elapsed().as_secs_f64();
                    } else {
                        report.awaiting_relink = awaiting;
                    }
                }
            }
        }
        report.skipped = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        report.warnings = diagnostics.len() - report.skipped;
        // Counting a large store costs an assembler taking many small
        // chunks more than the count is worth.
        if !self.assembling {
            report.articles_in_store = self.store.article_count()?;
        }
        report.diagnostics = diagnostics;
        // Kept, once committed, for the next chunk an assembler takes (as
        // one ingest keeps them from article to article), rather than
        // read back whole.
        if self.assembling {
            self.online_ids = Some(online);
        }
        Ok(report)
    }

    /// Commits the last batch and re-links the store's stories, the two at
    /// once: the stories are linked from the store's index as it stands
    /// and the batch's assignments (what the index will be once the batch
    /// is committed) while the batch is written. Should the store hold
    /// anything else afterwards, the stories are linked again from the
    /// store itself.
    fn commit_and_relink(
        &mut self,
        batch: &mut IngestBatch,
        report: &mut IngestReport,
        linking: BatchLinking,
    ) -> Result<(), DeskError> {
        let started = Instant::now();
        // The store's index as it will be after the commit; the batch's
        // stories are provisional.
        let through = self.numbered_through()?;
        let next = self.store.next_story_id(through)?;
        let mut order: Vec<Linked> = linked_order(self.store.index()?, through)
            .chain(batch.assignments.iter().map(|a| Linked {
                id: a.id.clone(),
                event: a.event,
                story: a.story,
                numbered: false,
                duplicate_of: a.duplicate_of.clone(),
            }))
            .collect();
        self.read_features(&order)?;
        let corrections = self.store.corrections()?;
        let (grouping, config) = (self.options.events, *self.clusterer.config());
        let expected = order.len();
        let mut relink_seconds = started.elapsed().as_secs_f64();
        let changed: Relinked;
        {
            // Events are regrouped and linked into stories on one thread
            // while the batch is committed on this one.
            let features = &self.stored_features;
            let (store, clusterer) = (&mut *self.store, &mut self.clusterer);
            let (linked, committed) = std::thread::scope(|scope| {
                let linked = scope.spawn(move || {
                    let started = Instant::now();
                    let linked = batch_linked(
                        features,
                        &mut order,
                        &corrections,
                        grouping,
                        &config,
                        linking,
                    );
                    (order, linked, started.elapsed().as_secs_f64())
                });
                let committed = commit(store, batch, clusterer, report, true);
                let linked = linked
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (linked, committed)
            });
            committed?;
            let (order, linked, seconds) = linked;
            let linked = linked?;
            relink_seconds += seconds;
            changed = renumbered(
                order,
                linked.stories,
                next,
                linked.regrouped,
                linked.amendments,
            );
        }
        if report.added == 0 {
            return Ok(());
        }
        let started = Instant::now();
        let in_store = usize::try_from(self.store.article_count()?).unwrap_or(usize::MAX);
        report.story_updates = if in_store == expected {
            self.store_stories(changed)?
        } else {
            self.relink_with(linking)?
        };
        report.timings.relink = relink_seconds + started.elapsed().as_secs_f64();
        Ok(())
    }

    /// Reads back and counts the features of the articles of `order` that
    /// are not at hand (on every core).
    fn read_features(&mut self, order: &[Linked]) -> Result<(), DeskError> {
        let config = *self.clusterer.config();
        for chunk in order.chunks(RELINK_CHUNK) {
            let missing: Vec<ArticleId> = chunk
                .iter()
                .filter(|l| !self.stored_features.contains_key(&l.id))
                .map(|l| l.id.clone())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let documents = self.store.documents(&missing)?;
            if documents.len() != missing.len() {
                return Err(DeskError::StoreChanged);
            }
            let features = linking_features_of(&documents, self.options.threads, &config);
            self.stored_features
                .extend(missing.into_iter().zip(features));
        }
        Ok(())
    }

    fn numbered_through(&self) -> Result<u64, DeskError> {
        numbered_through(&*self.store)
    }

    /// Stores the stories that changed and the ids retired, and clears
    /// the pending re-linking, in one transaction; returns how many
    /// articles changed story.
    fn store_stories(&mut self, changed: Relinked) -> Result<usize, DeskError> {
        let moved = changed.moved.len();
        let through = self.store.last_seq()?;
        self.store.commit(&IngestBatch {
            stories: changed.moved,
            aliases: changed.aliases,
            events: changed.events,
            revived: changed.revived,
            at: Some(crate::now()),
            relinked_through: Some(through),
            relink_pending: Some(false),
            ..IngestBatch::default()
        })?;
        Ok(moved)
    }

    /// Finishes what an interrupted or older newsdesk left undone in the
    /// store, and checks it: a clusterer's state still saved as one blob
    /// is written as records, a pending batch re-linking of stories is
    /// run (or one that is due, [`RelinkWhen::due`], or with `relink`
    /// any), and the store's consistency is checked ([`Store::check`]).
    pub fn repair(&mut self, relink: bool) -> Result<RepairReport, DeskError> {
        let mut report = RepairReport::default();
        let changes = self.clusterer.unsaved_changes();
        if changes.replace && self.store.cluster_state()?.is_some() {
            report.state_bytes_converted = Some(changes.bytes());
            self.store.commit(&IngestBatch {
                cluster_changes: Some(changes),
                ..IngestBatch::default()
            })?;
            self.clusterer.mark_saved();
        }
        let (due, awaiting) = self.relink_due(RelinkWhen::default())?;
        if relink || due {
            report.relinked = Some(self.relink()?);
        } else {
            report.awaiting_relink = awaiting;
        }
        report.problems = self.store.check()?;
        report.articles_in_store = self.store.article_count()?;
        Ok(report)
    }

    fn relink_due(&self, when: RelinkWhen) -> Result<(bool, u64), DeskError> {
        relink_due(&*self.store, when)
    }

    /// Links every event in the store into stories in one batch (with the
    /// default thresholds) and stores the stories that changed; returns
    /// how many articles changed story number.
    pub fn relink(&mut self) -> Result<usize, DeskError> {
        self.relink_with(BatchLinking::default())
    }

    /// [`Ingestor::relink`] with these thresholds. The stories are those a
    /// single batch ingest of the same articles in the same order would
    /// give. Every stored document is read back and its terms counted
    /// again: the cost grows with the store, not with the ingest.
    fn relink_with(&mut self, linking: BatchLinking) -> Result<usize, DeskError> {
        // The stories are numbered afresh.
        self.online_ids = None;
        let through = self.numbered_through()?;
        let next = self.store.next_story_id(through)?;
        let mut order: Vec<Linked> = linked_order(self.store.index()?, through).collect();
        self.read_features(&order)?;
        let corrections = self.store.corrections()?;
        let linked = batch_linked(
            &self.stored_features,
            &mut order,
            &corrections,
            self.options.events,
            self.clusterer.config(),
            linking,
        )?;
        let changed = renumbered(
            order,
            linked.stories,
            next,
            linked.regrouped,
            linked.amendments,
        );
        self.store_stories(changed)
    }
}

/// What [`Ingestor::repair`] did and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RepairReport {
    /// Bytes of clusterer state written as records, when the store held it
    /// as one blob (a store of an older newsdesk).
    pub state_bytes_converted: Option<usize>,
    /// Articles whose story changed, when a batch re-linking was pending
    /// (an ingest stopped before it, or one that linked online).
    pub relinked: Option<usize>,
    /// Articles linked into stories online since the last batch
    /// re-linking, whose story may still change at the next.
    pub awaiting_relink: u64,
    /// What the store's consistency check found (nothing when sound).
    pub problems: Vec<String>,
    /// Articles the store holds.
    pub articles_in_store: u64,
}

/// What tells two articles with one id apart: a hash of the text (for
/// comparing within one process only), and the title.
#[derive(Debug, Clone)]
struct Content {
    text: u64,
    title: Option<String>,
    /// The stored article's date, outlet, address and language, when the
    /// content is the store's (what a later reading may correct).
    stored: Option<Metadata>,
}

/// An article's metadata that a later reading may correct.
#[derive(Debug, Clone)]
struct Metadata {
    date: Option<newsdesk_model::Date>,
    source: Option<String>,
    url: Option<String>,
    lang: Option<String>,
}

impl Metadata {
    fn of(article: &Article) -> Metadata {
        Metadata {
            date: article.date,
            source: article.source.clone(),
            url: article.url.clone(),
            lang: article.lang.clone(),
        }
    }

    /// What `article` (the same article read again, from a sidecar or
    /// with flags that give more) says otherwise, if anything.
    fn corrected_by(&self, article: &Article) -> Option<MetadataCorrection> {
        fn changed<T: PartialEq + Clone>(given: &Option<T>, stored: &Option<T>) -> Option<T> {
            given
                .as_ref()
                .filter(|g| stored.as_ref() != Some(*g))
                .cloned()
        }
        let correction = MetadataCorrection {
            date: changed(&article.date, &self.date),
            source: changed(&article.source, &self.source),
            url: changed(&article.url, &self.url),
            lang: changed(&article.lang, &self.lang),
            ..MetadataCorrection::of(article.id.clone())
        };
        let any = correction.date.is_some()
            || correction.source.is_some()
            || correction.url.is_some()
            || correction.lang.is_some();
        any.then_some(correction)
    }
}

impl Content {
    fn of(article: &Article) -> Content {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        article.text.hash(&mut hasher);
        Content {
            text: hasher.finish(),
            title: article.title.clone(),
            stored: None,
        }
    }

    /// Whether `other`, just read, is this article again: the same text,
    /// and the same title unless it came without one (the text stage gives
    /// a stored article without a title one from its text).
    fn is_the_same_as(&self, other: &Content) -> bool {
        self.text == other.text && (other.title.is_none() || other.title == self.title)
    }
}

/// Eight hex digits of an article's content hash, the same on every
/// machine and in every version (SHA-256).
fn short_hash(article: &Article) -> String {
    ArticleId::from_content(article.title.as_deref(), &article.text)
        .as_str()
        .chars()
        .take(8)
        .collect()
}

/// The state of one ingest while articles flow through it.
struct Session<'a> {
    /// The store's ids of the stories the clusterer gives.
    online: OnlineIds,
    store: &'a mut dyn Store,
    clusterer: &'a mut Clusterer,
    /// Where to keep the features of the articles clustered (for
    /// re-linking), if anywhere.
    stored_features: Option<&'a mut HashMap<ArticleId, ArticleFeatures>>,
    /// Whether each commit records that a batch re-linking must follow.
    pending: bool,
    commit_every: usize,
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    commit_interval: std::time::Duration,
    last_commit: Instant,
    report: IngestReport,
    batch: IngestBatch,
    /// The content of each article read in this ingest, by id.
    seen_in_run: BTreeMap<ArticleId, Content>,
    /// Ids known not to be in the store when the session began (looked
    /// up together beforehand), so that no article of them is looked up
    /// alone.
    absent: BTreeSet<ArticleId>,
    /// The first store error; nothing more is clustered or committed
    /// after it.
    failure: Option<DeskError>,
    warnings: Vec<Diagnostic>,
}

impl Session<'_> {
    /// The article, unless it was read before in this ingest or is stored
    /// already (counted as present), or the ingest has failed.
    ///
    /// An article whose id is taken by another article (other title or
    /// text: two feeds numbering from 1, say) is never dropped for it: it
    /// is kept apart under its id with `~` and a hash of its content
    /// added, with a warning.
    fn accept(&mut self, mut article: Article) -> Option<Article> {
        if self.failure.is_some() {
            return None;
        }
        // Articles the reader hands over after a stop are not taken, and
        // not counted as read.
        if let Some(stop) = &self.stop {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                self.report.stopped = true;
                return None;
            }
        }
        self.report.read += 1;
        let content = Content::of(&article);
        let given = article.id.clone();
        // The id as given, then (if another article holds it) the id kept
        // apart, which a later ingest of the same input finds again.
        for round in 0..2 {
            match self.content_of(&article.id) {
                Err(e) => {
                    self.failure = Some(e);
                    return None;
                }
                Ok(None) => {
                    if round > 0 {
                        self.warnings.push(diagnostic_at(
                            &article,
                            Severity::Warning,
                            &format!(
                                "article id {:?} is already another article's (different title or text); this one is kept as {:?}",
                                given.as_str(),
                                article.id.as_str()
                            ),
                        ));
                    }
                    self.seen_in_run.insert(article.id.clone(), content);
                    return Some(article);
                }
                Ok(Some(known)) if known.is_the_same_as(&content) => {
                    // Read again with other metadata (a sidecar written
                    // since, a flag): the stored article is corrected, in
                    // its own commit, and its stories linked again if its
                    // date moved. Never a duplicate of this run's.
                    let correction = known.stored.as_ref().and_then(|m| m.corrected_by(&article));
                    if let Some(correction) = correction {
                        let redate = correction.date.is_some();
                        let batch = IngestBatch {
                            corrections: vec![correction],
                            relink_pending: redate.then_some(true),
                            ..IngestBatch::default()
                        };
                        match self.store.commit(&batch) {
                            Ok(_) => {
                                self.report.updated += 1;
                                self.seen_in_run.insert(article.id.clone(), content);
                                return None;
                            }
                            Err(e) => self.failure = Some(e.into()),
                        }
                    }
                    self.report.already_present += 1;
                    return None;
                }
                Ok(Some(_)) => {
                    let hash = short_hash(&article);
                    article.id = ArticleId(format!("{}~{hash}", given.as_str()));
                }
            }
        }
        self.report.already_present += 1;
        None
    }

    /// What is known of the article known by `id` (read in this ingest
    /// or stored), if any.
    fn content_of(&self, id: &ArticleId) -> Result<Option<Content>, DeskError> {
        if let Some(content) = self.seen_in_run.get(id) {
            return Ok(Some(content.clone()));
        }
        if self.absent.contains(id) {
            return Ok(None);
        }
        let id = std::slice::from_ref(id);
        if self.store.existing_ids(id)?.is_empty() {
            return Ok(None);
        }
        let stored = self.store.documents(id)?;
        Ok(Some(stored.first().map_or_else(
            || Content {
                text: 0,
                title: None,
                stored: None,
            },
            |d| Content {
                stored: Some(Metadata::of(&d.article)),
                ..Content::of(&d.article)
            },
        )))
    }

    /// Clusters analysed articles in order, committing every
    /// `commit_every`.
    fn consume(&mut self, prepared: Vec<Prepared>) {
        for p in prepared {
            self.warnings.extend(p.warning);
            if self.failure.is_some() {
                continue;
            }
            let started = Instant::now();
            let store = &*self.store;
            let mut unread = None;
            let mut assignment = self.clusterer.assign_features_from(
                &p.doc,
                &p.features,
                p.embedding.as_deref(),
                &mut |ids| {
                    store.documents(ids).unwrap_or_else(|e| {
                        unread = Some(e);
                        Vec::new()
                    })
                },
            );
            if let Some(e) = unread {
                self.failure = Some(e.into());
                continue;
            }
            assignment.story = self.online.story(assignment.event, assignment.story);
            self.report.timings.clustering += started.elapsed().as_secs_f64();
            if let Some(kept) = self.stored_features.as_deref_mut() {
                kept.insert(p.doc.article.id.clone(), p.features);
            }
            self.batch.documents.push(p.doc);
            self.batch.assignments.push(assignment);
            let held = self.batch.documents.len();
            let due =
                held >= self.commit_every || self.last_commit.elapsed() >= self.commit_interval;
            if due {
                self.last_commit = Instant::now();
                if let Err(e) = commit(
                    self.store,
                    &mut self.batch,
                    self.clusterer,
                    &mut self.report,
                    self.pending,
                ) {
                    self.failure = Some(e);
                }
            }
        }
    }
}

/// The position of the last article whose story id a completed
/// re-linking gave ([`Store::relinked_through`]). A store written
/// before that was recorded holds ids its last re-linking gave, unless
/// one is pending.
fn numbered_through(store: &dyn Store) -> Result<u64, DeskError> {
    Ok(match store.relinked_through()? {
        Some(through) => through,
        None if store.relink_pending()? => 0,
        None => store.last_seq()?,
    })
}

/// Whether the store's stories are due for a batch re-linking (one is
/// pending, [`Store::relink_pending`]: an ingest that links in batch
/// stopped before it, one linked online, an editor corrected a story
/// or a date; or the articles linked online since the last one are due
/// by `when`), and how many articles were linked online since the last
/// one (a batch re-linking leaves none).
pub fn relink_due(store: &dyn Store, when: RelinkWhen) -> Result<(bool, u64), DeskError> {
    let awaiting = store.articles_after(numbered_through(store)?)?;
    let linked = store.article_count()?.saturating_sub(awaiting);
    let due = store.relink_pending()? || when.due(linked, awaiting);
    Ok((due, awaiting))
}

/// An article as batch linking sees it.
#[derive(Debug, Clone)]
pub(crate) struct Linked {
    pub id: ArticleId,
    pub event: u64,
    /// The story it is stored (or about to be stored) with.
    pub story: u64,
    /// Whether that story id was given by a completed re-linking (else it
    /// is provisional, and numbered afresh).
    pub numbered: bool,
    /// The article it is a near-duplicate of, if any.
    pub duplicate_of: Option<ArticleId>,
}

/// The store's index as batch linking reads it, in ingest order; the
/// articles up to position `through` were numbered by a re-linking.
fn linked_order(
    index: Vec<newsdesk_store::IndexEntry>,
    through: u64,
) -> impl Iterator<Item = Linked> {
    index.into_iter().map(move |e| Linked {
        numbered: e.seq <= through,
        id: e.id,
        event: e.event,
        story: e.story,
        duplicate_of: e.duplicate_of,
    })
}

/// The stories of a batch re-linking of `order` (whose `features` are all
/// at hand): its events regrouped in batch when `grouping` says so, the
/// editor's `corrections` applied, then linked; with the articles whose
/// regrouped event changed and the corrections' amendments. Each
/// article's event in `order` is set to the one it ends with.
fn batch_linked(
    features: &HashMap<ArticleId, ArticleFeatures>,
    order: &mut [Linked],
    corrections: &[newsdesk_model::correction::CorrectionRecord],
    grouping: EventGrouping,
    config: &ClusterConfig,
    linking: BatchLinking,
) -> Result<BatchLinked, DeskError> {
    let regrouped = regrouped_events(features, order, grouping)?;
    let regrouping = matches!(grouping, EventGrouping::Batch(_));
    let amendments = LinkAmendments::of(corrections, order, regrouping);
    let linker = linker_of(features, order, config, linking)?;
    let stories = linker.stories_with(&amendments.links);
    Ok(BatchLinked {
        stories,
        regrouped,
        amendments,
    })
}

/// What [`batch_linked`] gives.
struct BatchLinked {
    /// The story of each article of the order.
    stories: Vec<u64>,
    /// The articles whose regrouped event changed, with it.
    regrouped: Vec<(ArticleId, u64)>,
    /// The corrections' amendments.
    amendments: LinkAmendments,
}

/// A batch linker fed with the articles of `order` (whose `features` are
/// all at hand), in that order.
fn linker_of(
    features: &HashMap<ArticleId, ArticleFeatures>,
    order: &[Linked],
    config: &ClusterConfig,
    linking: BatchLinking,
) -> Result<StoryLinker, DeskError> {
    let mut linker = StoryLinker::new(config, linking);
    for Linked { id, event, .. } in order {
        let features = features.get(id).ok_or(DeskError::StoreChanged)?;
        linker.add_features(features, *event);
    }
    Ok(linker)
}

/// Groups the articles of `order` (whose `features` are all at hand) into
/// events in batch when `grouping` says so, as `cluster` groups a
/// collection: the same events whatever order the articles came in. Each
/// article's event in `order` is set; returns the articles whose event
/// changed. A group keeps the lowest event id of its articles that no
/// group before it took ([`reused_event_ids`]).
fn regrouped_events(
    features: &HashMap<ArticleId, ArticleFeatures>,
    order: &mut [Linked],
    grouping: EventGrouping,
) -> Result<Vec<(ArticleId, u64)>, DeskError> {
    let EventGrouping::Batch(model) = grouping else {
        return Ok(Vec::new());
    };
    let groups = {
        let mut articles = Vec::with_capacity(order.len());
        for l in order.iter() {
            let features = features.get(&l.id).ok_or(DeskError::StoreChanged)?;
            articles.push((&l.id, l.duplicate_of.as_ref(), features));
        }
        events_of(&articles, &model)
    };
    let current: Vec<u64> = order.iter().map(|l| l.event).collect();
    let ids = reused_event_ids(&current, &groups);
    let mut changed = Vec::new();
    for (linked, id) in order.iter_mut().zip(ids) {
        if linked.event != id {
            linked.event = id;
            changed.push((linked.id.clone(), id));
        }
    }
    Ok(changed)
}

/// What a re-linking changes: the articles whose story id differs from
/// the one they are stored with, with their new id, and the ids retired
/// (each with the story it was merged into); with the events and ids that
/// the corrections in force change (`amendments`). `groups` are batch
/// linking's stories of `order`; ids are kept as [`stable_ids`] says, new
/// ones given from `next` on.
fn renumbered(
    order: Vec<Linked>,
    groups: Vec<u64>,
    next: u64,
    mut regrouped: Vec<(ArticleId, u64)>,
    amendments: LinkAmendments,
) -> Relinked {
    let old: Vec<Option<u64>> = order
        .iter()
        .map(|l| l.numbered.then_some(l.story))
        .collect();
    let ids = stable_ids(&groups, &old, next, &amendments.preferred);
    // An id a correction asks for is a story's again, should a re-linking
    // have retired it.
    let mut revived: Vec<u64> = amendments
        .preferred
        .iter()
        .map(|&(id, _)| id)
        .filter(|id| ids.stories.contains(id))
        .collect();
    revived.sort_unstable();
    revived.dedup();
    let moved = order
        .into_iter()
        .zip(ids.stories)
        .filter(|(linked, story)| linked.story != *story)
        .map(|(linked, story)| (linked.id, story))
        .collect();
    // The editor's events are stored after (over) the regrouped ones.
    regrouped.extend(amendments.events);
    Relinked {
        moved,
        aliases: ids.aliases,
        events: regrouped,
        revived,
    }
}

/// The event id of each article once regrouped into `groups` (one group
/// label per article, in store order), from the ids the articles hold
/// (`current`): each group in order of its first article takes the lowest
/// of its articles' ids given by the online clusterer (under
/// [`newsdesk_model::correction::CORRECTION_EVENTS`]: an editor's split and an earlier
/// regrouping number theirs above) that no group before it took, so that an event
/// that stays whole keeps its id. A group left with none is numbered
/// [`REGROUPED_EVENTS`] plus the position of its first article: clear of
/// the ids the online clusterer gives next, and the same whatever the
/// store's history.
pub(crate) fn reused_event_ids(current: &[u64], groups: &[u64]) -> Vec<u64> {
    let mut members: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    let mut first: Vec<u64> = Vec::new();
    for (i, &g) in groups.iter().enumerate() {
        members
            .entry(g)
            .or_insert_with(|| {
                first.push(g);
                Vec::new()
            })
            .push(i);
    }
    let mut taken: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let mut ids = vec![0u64; groups.len()];
    for g in first {
        let articles = &members[&g];
        let mut held: Vec<u64> = articles
            .iter()
            .filter_map(|&i| current.get(i).copied())
            .filter(|&id| id < newsdesk_model::correction::CORRECTION_EVENTS)
            .collect();
        held.sort_unstable();
        let id = held
            .into_iter()
            .find(|id| !taken.contains(id))
            .unwrap_or(REGROUPED_EVENTS + articles[0] as u64 + 1);
        taken.insert(id);
        for &i in articles {
            ids[i] = id;
        }
    }
    ids
}

/// Where the ids of events that batch regrouping makes begin (2^40): the
/// online clusterer numbers its events from 1 and never reaches them.
pub const REGROUPED_EVENTS: u64 = 1 << 40;

/// What a re-linking changes in the store ([`renumbered`]).
#[derive(Debug, Default)]
struct Relinked {
    moved: Vec<(ArticleId, u64)>,
    aliases: Vec<(u64, u64)>,
    events: Vec<(ArticleId, u64)>,
    revived: Vec<u64>,
}

/// Commits the batch (if anything is in it) with what changed in the
/// clusterer's state and, when `pending`, the intent to re-link the
/// store's stories in batch ([`Store::relink_pending`]). Automatic linking
/// records no intent: whether a re-linking is due follows from the store
/// itself ([`RelinkWhen`]).
fn commit(
    store: &mut dyn Store,
    batch: &mut IngestBatch,
    clusterer: &mut Clusterer,
    report: &mut IngestReport,
    pending: bool,
) -> Result<(), DeskError> {
    if batch.documents.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    batch.cluster_changes = Some(clusterer.unsaved_changes());
    // Until the stories are linked again in batch (in another transaction),
    // the store's stories wait for it.
    if pending {
        batch.relink_pending = Some(true);
    }
    batch.at = Some(crate::now());
    report.timings.state += started.elapsed().as_secs_f64();
    let started = Instant::now();
    let CommitReport {
        added,
        already_present,
    } = store.commit(batch)?;
    clusterer.mark_saved();
    report.timings.commit += started.elapsed().as_secs_f64();
    report.added += added;
    report.already_present += already_present;
    *batch = IngestBatch::default();
    Ok(())
}

/// Reads, analyses and clusters every article of the inputs in the order
/// the options ask for, handing each assignment to `each`; returns the
/// diagnostics. This is the whole stateless clustering stage (`cluster`,
/// `eval clustering`).
///
/// With batch linking, the stories are those of [`StoryLinker`] over all
/// the articles, so the assignments are handed over only once every
/// article is clustered; with online linking, each as soon as its article
/// is clustered, with the clusterer's online story.
pub fn cluster_inputs(
    paths: &[PathBuf],
    options: &IngestOptions,
    embedder: Option<&dyn Embedder>,
    each: &mut dyn FnMut(Assignment),
) -> Vec<Diagnostic> {
    let mut clusterer = Clusterer::new(options.cluster);
    let mut linker = options
        .linking
        .batch()
        .map(|linking| (linking, Vec::new(), Vec::new()));
    let mut warnings = Vec::new();
    let mut pipeline = Pipeline::new(options.threads, embedder, options.cluster);
    let mut consume = |prepared: Vec<Prepared>| {
        for p in prepared {
            warnings.extend(p.warning);
            let assignment = clusterer.assign_features(&p.doc, &p.features, p.embedding.as_deref());
            match &mut linker {
                Some((_, held, features)) => {
                    held.push(assignment);
                    features.push(p.features);
                }
                None => each(assignment),
            }
        }
    };
    let mut diagnostics = read_in_order(
        paths,
        &options.read,
        options.order,
        &mut |_, _| {},
        &mut |article| pipeline.push(Input::Read(article), &mut consume),
    );
    pipeline.finish(&mut consume);
    if let Some((linking, mut held, features)) = linker {
        // With batch events, the articles are linked in the order of
        // their ids, so that ties and sums fall the same for any order.
        let mut order: Vec<usize> = (0..held.len()).collect();
        if let EventGrouping::Batch(model) = options.events {
            regroup(&mut held, &features, &model);
            order.sort_by(|&a, &b| held[a].id.cmp(&held[b].id).then(a.cmp(&b)));
        }
        let mut linker = StoryLinker::new(&options.cluster, linking);
        for &i in &order {
            linker.add_features(&features[i], held[i].event);
        }
        let mut stories = vec![0; held.len()];
        for (&i, story) in order.iter().zip(linker.stories()) {
            stories[i] = story;
        }
        // Stories numbered in order of first article, as given.
        let mut numbers: HashMap<u64, u64> = HashMap::new();
        for (mut assignment, story) in held.into_iter().zip(stories) {
            let next = numbers.len() as u64 + 1;
            assignment.story = *numbers.entry(story).or_insert(next);
            each(assignment);
        }
    }
    diagnostics.append(&mut warnings);
    diagnostics
}

/// Gives the `assignments` (with the `features` of their articles) the
/// events of [`group_events`] instead of the online clusterer's: the
/// same events whatever order the articles came in. Near-duplicates
/// (`duplicate_of`) are grouped with their originals as one article.
/// Events are numbered from 1 in order of their first article.
fn regroup(
    assignments: &mut [Assignment],
    features: &[ArticleFeatures],
    model: &newsdesk_cluster::events::PairModel,
) {
    let articles: Vec<_> = assignments
        .iter()
        .zip(features)
        .map(|(a, f)| (&a.id, a.duplicate_of.as_ref(), f))
        .collect();
    let events = events_of(&articles, model);
    for (a, event) in assignments.iter_mut().zip(events) {
        a.event = event;
    }
}

/// The events of [`group_events`] (numbered from 1 in order of first
/// article) of articles given as (id, the id it is a near-duplicate of,
/// features); a near-duplicate starts with its original when that is
/// among them.
fn events_of(
    articles: &[(&ArticleId, Option<&ArticleId>, &ArticleFeatures)],
    model: &newsdesk_cluster::events::PairModel,
) -> Vec<u64> {
    let position: HashMap<&ArticleId, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (*id, i))
        .collect();
    let copies: Vec<(usize, usize)> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, (_, original, _))| Some((i, *position.get(original.as_ref()?)?)))
        .collect();
    let items: Vec<(&str, &ArticleFeatures)> = articles
        .iter()
        .map(|(id, _, features)| (id.0.as_str(), *features))
        .collect();
    group_events(&items, &copies, model)
}

/// An article through the per-article stages, ready to be clustered.
/// An article for the pipeline: as read, or analysed already (by a
/// worker of the scale-out mode).
enum Input {
    Read(Article),
    Analysed(Box<Document>),
}

struct Prepared {
    doc: Document,
    features: ArticleFeatures,
    embedding: Option<Vec<f32>>,
    warning: Option<Diagnostic>,
}

/// Analyses articles a chunk at a time on every core, and hands each
/// analysed chunk on, in input order, while the next one is analysed.
struct Pipeline<'e> {
    threads: usize,
    embedder: Option<&'e dyn Embedder>,
    config: ClusterConfig,
    pending: Vec<Input>,
    ready: Option<Vec<Prepared>>,
    /// Seconds of analysis, summed over threads.
    analysis_seconds: f64,
    /// Seconds the consuming thread waited for analysis.
    waiting_seconds: f64,
}

impl<'e> Pipeline<'e> {
    fn new(threads: usize, embedder: Option<&'e dyn Embedder>, config: ClusterConfig) -> Self {
        Pipeline {
            threads: thread_count(threads),
            embedder,
            config,
            pending: Vec::with_capacity(CHUNK),
            ready: None,
            analysis_seconds: 0.0,
            waiting_seconds: 0.0,
        }
    }

    /// Adds an article; a full chunk is analysed while the one before it is
    /// handed to `consume`.
    fn push(&mut self, input: Input, consume: &mut dyn FnMut(Vec<Prepared>)) {
        self.pending.push(input);
        let size = if self.ready.is_none() && self.analysis_seconds == 0.0 {
            FIRST_CHUNK
        } else {
            CHUNK
        };
        if self.pending.len() >= size {
            self.step(consume);
        }
    }

    /// Analyses what is pending and hands everything analysed on.
    fn finish(&mut self, consume: &mut dyn FnMut(Vec<Prepared>)) {
        if !self.pending.is_empty() {
            self.step(consume);
        }
        if let Some(ready) = self.ready.take() {
            consume(ready);
        }
    }

    fn step(&mut self, consume: &mut dyn FnMut(Vec<Prepared>)) {
        let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK));
        let previous = self.ready.take();
        let (threads, embedder, config) = (self.threads, self.embedder, self.config);
        let (analysed, seconds, waited) = std::thread::scope(|scope| {
            let worker = scope.spawn(move || prepare_all(chunk, threads, embedder, &config));
            if let Some(previous) = previous {
                consume(previous);
            }
            let started = Instant::now();
            let (analysed, seconds) = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (analysed, seconds, started.elapsed().as_secs_f64())
        });
        self.analysis_seconds += seconds;
        self.waiting_seconds += waited;
        self.ready = Some(analysed);
    }
}

/// The articles through the per-article stages on `threads` threads, in
/// the order given; with the seconds spent, summed over the threads.
fn prepare_all(
    articles: Vec<Input>,
    threads: usize,
    embedder: Option<&dyn Embedder>,
    config: &ClusterConfig,
) -> (Vec<Prepared>, f64) {
    parallel_map(articles, threads, |a| prepare(a, embedder, config))
}

/// The threads to use: `threads`, or one per core for 0.
fn thread_count(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
}

/// What batch event grouping and linking read of stored documents (their
/// weighted terms, title terms and days: [`ArticleFeatures::for_grouping`]),
/// on `threads` threads, in order.
fn linking_features_of(
    documents: &[Document],
    threads: usize,
    config: &ClusterConfig,
) -> Vec<ArticleFeatures> {
    let documents: Vec<&Document> = documents.iter().collect();
    parallel_map(documents, thread_count(threads), |d| {
        ArticleFeatures::for_grouping(d, config)
    })
    .0
}

/// `f` of every item, in the order given, on up to `threads` threads; with
/// the seconds spent, summed over the threads. Each thread takes the next
/// item when it is free, so a thread given the long items does not keep
/// the others waiting.
pub fn parallel_map<T: Send, U: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> U + Sync,
) -> (Vec<U>, f64) {
    let count = items.len();
    if threads <= 1 || count < 2 {
        let started = Instant::now();
        let out = items.into_iter().map(&f).collect();
        return (out, started.elapsed().as_secs_f64());
    }
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().ok().and_then(|mut q| q.next());
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(count))
            .map(|_| {
                scope.spawn(|| {
                    let started = Instant::now();
                    let mut done = Vec::new();
                    while let Some((i, item)) = next() {
                        done.push((i, f(item)));
                    }
                    (done, started.elapsed().as_secs_f64())
                })
            })
            .collect();
        let mut slots: Vec<Option<U>> = (0..count).map(|_| None).collect();
        let mut seconds = 0.0;
        for worker in workers {
            let (done, spent) = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (i, out) in done {
                slots[i] = Some(out);
            }
            seconds += spent;
        }
        (slots.into_iter().flatten().collect(), seconds)
    })
}

fn prepare(input: Input, embedder: Option<&dyn Embedder>, config: &ClusterConfig) -> Prepared {
    let doc = match input {
        Input::Read(article) => analyze(article),
        Input::Analysed(doc) => *doc,
    };
    let features = ArticleFeatures::of(&doc, config);
    let (embedding, warning) = match embedder.map(|e| e.embed(&doc)) {
        None => (None, None),
        Some(Ok(vector)) => (Some(vector), None),
        Some(Err(reason)) => (None, Some(not_embedded(&doc, &reason))),
    };
    Prepared {
        doc,
        features,
        embedding,
        warning,
    }
}

/// The warning for an article the model could not embed, at the place it
/// was read from (`path:line` for JSONL, else the origin or the id).
pub fn not_embedded(doc: &Document, reason: &str) -> Diagnostic {
    diagnostic_at(
        &doc.article,
        Severity::Warning,
        &format!(
            "article {}: no sentence embedding ({reason}); clustered on its words and names",
            doc.article.id.as_str()
        ),
    )
}

/// A diagnostic about an article, at the place it was read from
/// (`path:line` for JSONL, else its origin or its id).
fn diagnostic_at(article: &Article, severity: Severity, message: &str) -> Diagnostic {
    let origin = article.origin.as_deref().unwrap_or(article.id.as_str());
    let (path, line) = match origin.rsplit_once(':') {
        Some((path, line)) if !path.is_empty() => match line.parse::<u64>() {
            Ok(line) => (path, Some(line)),
            Err(_) => (origin, None),
        },
        _ => (origin, None),
    };
    match severity {
        Severity::Error => Diagnostic::error(path, line, message),
        Severity::Warning => Diagnostic::warning(path, line, message),
    }
}

/// For `skip_serializing_if`.
fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_model::Severity;

    fn doc(origin: Option<&str>) -> Document {
        let mut article = Article::new("Herat fell on Thursday.");
        article.origin = origin.map(str::to_string);
        analyze(article)
    }

    #[test]
    fn a_failed_embedding_is_a_warning_at_the_line_it_was_read_from() {
        let warning = not_embedded(&doc(Some("feeds/day1.jsonl:12")), "no tokens");
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(
            (warning.path.as_str(), warning.line),
            ("feeds/day1.jsonl", Some(12))
        );
        assert!(warning
            .message
            .contains("no sentence embedding (no tokens)"));
        assert!(warning.message.contains("clustered on its words"));
    }

    #[test]
    fn a_failed_embedding_without_a_line_names_the_origin_or_the_id() {
        let from_feed = not_embedded(&doc(Some("feed.xml#item3")), "x");
        assert_eq!(
            (from_feed.path.as_str(), from_feed.line),
            ("feed.xml#item3", None)
        );
        let unknown = doc(None);
        let warning = not_embedded(&unknown, "x");
        assert_eq!(warning.path, unknown.article.id.as_str());
        assert_eq!(warning.line, None);
        // A Windows-style path keeps its drive letter.
        let drive = not_embedded(&doc(Some("C:\\news\\a.txt")), "x");
        assert_eq!((drive.path.as_str(), drive.line), ("C:\\news\\a.txt", None));
    }

    fn article(title: &str, text: &str, date: &str) -> Article {
        let mut a = Article::new(text);
        a.title = Some(title.to_string());
        a.date = newsdesk_ingest::parse_date(date);
        a
    }

    /// Invented reports: two developments of one dam story and a tram
    /// vote, more of them than one analysis chunk holds.
    fn articles() -> Vec<Article> {
        let mut out = Vec::new();
        for i in 0..150 {
            let (title, text, date) = match i % 3 {
                0 => (
                    format!("Lake Varn dam cracks, report {i}"),
                    format!("Engineers found a crack in the Lake Varn dam on Monday. Residents of Orlen were told to prepare to leave. Report number {i}."),
                    "2025-03-10",
                ),
                1 => (
                    format!("Orlen evacuated as Varn spillway fails, report {i}"),
                    format!("The spillway of the Lake Varn dam failed on Wednesday and Orlen was evacuated. Mayor Anna Novak said 3,000 people left. Update {i}."),
                    "2025-03-12",
                ),
                _ => (
                    format!("Council votes on Brenn tram line, report {i}"),
                    format!("The Brenn city council voted 31 to 12 for the new tram line on Tuesday. Construction starts next year. Item {i}."),
                    "2025-03-11",
                ),
            };
            out.push(article(&title, &text, date));
        }
        out
    }

    fn assignments(threads: usize) -> Vec<(String, u64, u64)> {
        let options = IngestOptions {
            threads,
            ..IngestOptions::default()
        };
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => panic!("a temporary directory: {e}"),
        };
        let path = dir.path().join("articles.jsonl");
        let lines: Vec<String> = articles()
            .iter()
            .map(|a| {
                format!(
                    "{{\"title\":{:?},\"text\":{:?},\"date\":\"{}\"}}",
                    a.title.as_deref().unwrap_or(""),
                    a.text,
                    a.date.map(|d| d.to_string()).unwrap_or_default()
                )
            })
            .collect();
        if let Err(e) = std::fs::write(&path, lines.join("\n")) {
            panic!("write the articles: {e}");
        }
        let mut out = Vec::new();
        let diagnostics = cluster_inputs(&[path], &options, None, &mut |a| {
            out.push((a.id.0, a.event, a.story));
        });
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        out
    }

    #[test]
    fn analysing_on_several_threads_gives_the_assignments_of_one() {
        let one = assignments(1);
        assert_eq!(one.len(), 150);
        assert_eq!(assignments(2), one);
        assert_eq!(assignments(5), one);
    }

    #[test]
    fn an_ingest_stores_every_new_article_once_and_links_stories() {
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => panic!("a temporary directory: {e}"),
        };
        let mut store = match newsdesk_store::SqliteStore::open(&dir.path().join("desk.db")) {
            Ok(store) => store,
            Err(e) => panic!("open the store: {e}"),
        };
        let options = IngestOptions {
            commit_every: 40,
            ..IngestOptions::default()
        };
        let report = Ingestor::open(&mut store, options.clone())
            .and_then(|mut ingestor| ingestor.ingest_articles(articles()));
        let report = match report {
            Ok(report) => report,
            Err(e) => panic!("ingest: {e}"),
        };
        assert_eq!((report.read, report.added), (150, 150));
        assert_eq!(report.articles_in_store, 150);
        let again = Ingestor::open(&mut store, options)
            .and_then(|mut ingestor| ingestor.ingest_articles(articles()));
        match again {
            Ok(again) => assert_eq!((again.added, again.already_present), (0, 150)),
            Err(e) => panic!("second ingest: {e}"),
        }
        let stories = match crate::story::list_stories(&store) {
            Ok(stories) => stories,
            Err(e) => panic!("list stories: {e}"),
        };
        // The dam's two developments are one story, the tram vote another.
        assert_eq!(stories.len(), 2, "{stories:?}");
    }

    #[test]
    fn regrouped_events_keep_the_lowest_free_id_of_their_articles() {
        // Online events 1 = {0, 1, 2}, 2 = {3}; regrouped {0, 1}, {2, 3},
        // {4}: the first keeps 1, the second 2 (its lowest free), the
        // third, new and holding only a taken id, is numbered past 2^40
        // by its first article's position.
        let ids = reused_event_ids(&[1, 1, 1, 2, 1], &[7, 7, 9, 9, 8]);
        assert_eq!(ids, [1, 1, 2, 2, REGROUPED_EVENTS + 5]);
        // An id of an earlier regrouping is never reused: it is numbered
        // again from its first article.
        let again = reused_event_ids(&[REGROUPED_EVENTS + 9, REGROUPED_EVENTS + 9], &[3, 3]);
        assert_eq!(again, [REGROUPED_EVENTS + 1; 2]);
        assert!(reused_event_ids(&[], &[]).is_empty());
    }

    /// Each article's id with the ids of the others in its event, sorted.
    fn event_partition(store: &newsdesk_store::SqliteStore) -> Vec<Vec<String>> {
        let index = match store.index() {
            Ok(index) => index,
            Err(e) => panic!("index: {e}"),
        };
        let mut by_event: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        for entry in index {
            by_event.entry(entry.event).or_default().push(entry.id.0);
        }
        let mut groups: Vec<Vec<String>> = by_event
            .into_values()
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        groups.sort();
        groups
    }

    #[test]
    fn an_ingest_forms_the_same_events_in_any_order() {
        let ingest = |articles: Vec<Article>, parts: usize| {
            let mut store = match newsdesk_store::SqliteStore::open_in_memory() {
                Ok(store) => store,
                Err(e) => panic!("open the store: {e}"),
            };
            let size = articles.len().div_ceil(parts);
            for part in articles.chunks(size) {
                let report = Ingestor::open(&mut store, IngestOptions::default())
                    .and_then(|mut ingestor| ingestor.ingest_articles(part.to_vec()));
                if let Err(e) = report {
                    panic!("ingest: {e}");
                }
            }
            event_partition(&store)
        };
        let given = articles();
        let whole = ingest(given.clone(), 1);
        // Three developments on three days: three events.
        assert_eq!(whole.len(), 3, "{whole:?}");
        let mut reversed = given.clone();
        reversed.reverse();
        assert_eq!(ingest(reversed, 1), whole);
        let mut interleaved = given;
        interleaved.sort_by_key(|a| a.text.len() % 7);
        assert_eq!(ingest(interleaved, 3), whole);
    }
}
