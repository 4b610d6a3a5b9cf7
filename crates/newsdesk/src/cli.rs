//! The command-line interface: every command, flag and default.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// newsdesk turns a pile of news articles from many outlets into stories:
/// duplicates folded, articles about one event grouped, events linked into
/// stories over days.
#[derive(Debug, Parser)]
#[command(name = "newsdesk", version, about, long_about = None)]
pub struct Cli {
    /// The store: an SQLite file, created if missing.
    #[arg(
        long,
        global = true,
        env = "NEWSDESK_DB",
        default_value = "newsdesk.db"
    )]
    pub db: PathBuf,

    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles (files, directories, JSONL, `-` for stdin) into the
    /// store and cluster them into stories.
    Ingest(IngestArgs),
    /// Finish what an interrupted or older newsdesk left undone in the
    /// store (a pending or due re-linking of stories; a clusterer state
    /// still saved as one blob) and check the store's consistency. Exits 1
    /// when the check finds a problem.
    Repair {
        /// Fail at once, instead of waiting, when another newsdesk is
        /// writing to the store.
        #[arg(long)]
        no_wait: bool,
        /// Re-link every story in batch now, even when none is due (the
        /// articles that `auto` linking linked as they came included).
        #[arg(long)]
        relink: bool,
    },
    /// List the stories in the store.
    Stories,
    /// Show one story: headline, brief, articles, top terms, timeline,
    /// figures and quotes.
    Show {
        /// The story's number (from `newsdesk stories`).
        story: u64,
        /// Output format (`--json` is `--format json`).
        #[arg(long, value_enum, default_value_t = BriefFormat::Text)]
        format: BriefFormat,
        /// Also say why its articles are together (as `newsdesk why`).
        #[arg(long)]
        why: bool,
    },
    /// Why one story's articles are together: for each article, what ties
    /// it to its event (similarity, shared words and names, margin over
    /// the closest other event); for each link between its events, what
    /// carries it. Weak links and ties are flagged and listed first.
    Why {
        /// The story's number (from `newsdesk stories`).
        story: u64,
    },
    /// Full-text search over the stored articles.
    Search {
        /// Words to find (all must match; stemmed), or a "quoted phrase".
        query: String,
        /// How many results at most (at least 1).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
        limit: u64,
    },
    /// Cluster articles without a store: one JSONL line per article,
    /// `{"id", "event", "story"}`.
    Cluster(ClusterArgs),
    /// Analyse one file as one article: its temporal expressions resolved
    /// against `--date` (or the date its text states), each sentence's
    /// event date, its entities, figures, quotes and paraphrases (`--json`;
    /// byte offsets into the file). The table lists the time expressions.
    Analyze {
        /// The article (plain text, read whole).
        file: PathBuf,
        /// Publication date (YYYY-MM-DD) that relative dates resolve against.
        #[arg(long)]
        date: Option<String>,
        /// Largest file accepted, in bytes (as for `ingest`).
        #[arg(long, default_value_t = newsdesk_ingest::DEFAULT_MAX_ARTICLE_BYTES)]
        max_article_bytes: usize,
    },
    /// One story's figures and quotes side by side: what outlets agree on
    /// (corroborated), what only one reports, what changed over time and
    /// what is disputed.
    Facts {
        /// The story's number (from `newsdesk stories`).
        story: u64,
        /// Output format (`--json` is `--format json`).
        #[arg(long, value_enum, default_value_t = BriefFormat::Text)]
        format: BriefFormat,
    },
    /// Show one story's timeline: dated developments with the articles
    /// reporting them; background facts marked.
    Timeline {
        /// The story's number (from `newsdesk stories`).
        story: u64,
        /// Output format (`--json` is `--format json`).
        #[arg(long, value_enum, default_value_t = BriefFormat::Text)]
        format: BriefFormat,
    },
    /// Extract the main text of HTML pages (`.html`, `.htm`, `.html.gz`):
    /// the text to stdout, `--json` with title, byline, date and language,
    /// or one `DIR/<stem>.txt` per page with `--out-dir`.
    Extract(ExtractArgs),
    /// A story's cited brief: a few sentences telling it as the outlets
    /// together report it, each followed by the articles that support it.
    /// From the store (`brief STORY`) or a file (`brief --input FILE.jsonl`:
    /// the articles of one story, or DUC-style clusters, one brief each).
    Brief(BriefArgs),
    /// Export the provenance graph of a story (every story's when none is
    /// given): story → event → article (outlet, date, address, file) →
    /// sentence (byte span) → claim (brief sentence, figure, quote,
    /// timeline entry), with the evidence spans that support each claim,
    /// each span a piece of the article's stored text.
    Export(ExportArgs),
    /// Score a stage on a benchmark file.
    Eval {
        /// Which stage.
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Named entities (people, organisations, places, other names):
    /// `--conll FILE` tags a CoNLL file's tokens (first column, one per
    /// line) and prints every line as `token TAG` (IOB2).
    Entities(EntitiesArgs),
    /// Correct newsdesk's analysis: merge stories, move an article or an
    /// event to another story (or a new one), split an event; merge,
    /// split or rename entities; reject a figure or quote, or give a quote
    /// another speaker. Kept in the store with who, when and why, and
    /// applied again after every re-linking and ingest.
    Correct(CorrectArgs),
    /// What changed in the stories: articles and outlets added, figures
    /// that changed over time or became disputed, new quotes and timeline
    /// entries, stories merged in, corrections made. Without `--since`,
    /// every figure that changed over a story's course, with its dates.
    Changes {
        /// Only this story (every story that changed when absent).
        story: Option<u64>,
        /// Since this date (YYYY-MM-DD, UTC) or time (RFC 3339) at which
        /// newsdesk stored the articles.
        #[arg(long)]
        since: Option<String>,
    },
    /// List the corrections made in the store; `corrections undo N`
    /// undoes one (the stories are linked again without it).
    Corrections {
        /// Also list the corrections undone.
        #[arg(long)]
        all: bool,
        /// What to do with them.
        #[command(subcommand)]
        action: Option<CorrectionsCommand>,
    },
    /// Serve the desk over HTTP: the JSON API (`/api/v1`, its OpenAPI
    /// document at `/api/v1/openapi.json`) and live updates, from the
    /// store. Loopback only by default; on another address, writes need
    /// `NEWSDESK_TOKEN`. Stops cleanly on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// The scale-out mode's worker, on a PostgreSQL store (`--db
    /// postgres://…`): pulls article keys queued by `ingest --to` from the
    /// work queue (`--from nats://HOST/SUBJECT`), analyses the articles,
    /// and, whichever worker holds the store's writer lease, assembles
    /// them into stories in ingest order. Start as many as you like, on
    /// any machine; stops cleanly on Ctrl-C or SIGTERM.
    Worker(WorkerArgs),
    /// The articles the scale-out workers gave up on, with why.
    Failed {
        /// Queue them again (attempts start afresh).
        #[arg(long)]
        retry: bool,
        /// With `--retry`: publish them to this queue now (else the
        /// assembling worker's sweeper queues them within a minute).
        #[arg(long, value_name = "nats://HOST/SUBJECT")]
        queue: Option<String>,
    },
    /// Where the scale-out mode stands on a PostgreSQL store: the queue's
    /// depth (with `--queue`), articles received, pending, analysed and
    /// failed, the intake place analysed and assembled through, the
    /// writer lease.
    Status {
        /// The work queue to measure.
        #[arg(long, value_name = "nats://HOST/SUBJECT")]
        queue: Option<String>,
    },
    /// Train a model from gold data.
    Train {
        /// Which model.
        #[command(subcommand)]
        what: TrainCommand,
    },
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// The bearer token that write requests must carry (any write beyond
    /// loopback needs one). Read from the environment only, never from a
    /// URL.
    #[arg(
        long = "token-from-env",
        env = "NEWSDESK_TOKEN",
        hide_env_values = true,
        hide = true
    )]
    pub token: Option<String>,
    /// Requests per minute one client address may make (0: no limit).
    #[arg(long, default_value_t = 1200)]
    pub rate_limit: u32,
    /// The largest ingest body, in MiB.
    #[arg(long, default_value_t = 64)]
    pub max_ingest_mib: usize,
    /// An origin (`https://desk.example.org`) whose pages may call the API
    /// (CORS); repeat for more. None by default: CORS is off.
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
}

/// Arguments of `correct`.
#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// What to correct.
    #[command(subcommand)]
    pub what: CorrectCommand,
    /// Who makes the correction (default: the user name, `$USER`).
    #[arg(long, global = true)]
    pub by: Option<String>,
    /// Why, kept with the correction.
    #[arg(long, global = true)]
    pub reason: Option<String>,
    /// Fail at once, instead of waiting, when another newsdesk is writing
    /// to the store.
    #[arg(long, global = true)]
    pub no_wait: bool,
}

/// Where a moved article or event goes: a story's number, or `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryTarget {
    /// An existing story.
    Story(u64),
    /// A story of its own.
    New,
}

impl std::str::FromStr for StoryTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("new") {
            return Ok(StoryTarget::New);
        }
        s.parse()
            .map(StoryTarget::Story)
            .map_err(|_| format!("{s:?} is neither a story number nor `new`"))
    }
}

/// The corrections.
#[derive(Debug, Subcommand)]
pub enum CorrectCommand {
    /// Story FROM is part of story INTO, which keeps its number.
    MergeStories {
        /// The story that stays.
        into: u64,
        /// The story merged into it.
        from: u64,
    },
    /// An article (with its reprints) leaves its event and story for
    /// another story, or for a new one (`--to new`).
    Move {
        /// The article's id (or the start of it, as `show` prints it).
        article: String,
        /// A story's number, or `new`.
        #[arg(long)]
        to: StoryTarget,
    },
    /// A whole event leaves its story for another story, or for a new one.
    MoveEvent {
        /// The event's number (`show --json` lists each article's event).
        event: u64,
        /// A story's number, or `new`.
        #[arg(long)]
        to: StoryTarget,
    },
    /// Some articles of an event are an event of their own.
    SplitEvent {
        /// The event's number.
        event: u64,
        /// The articles that leave it (ids, or the start of them).
        #[arg(required = true)]
        articles: Vec<String>,
    },
    /// Two entities are one: FROM's mentions go under INTO's name.
    MergeEntities {
        /// The entity's name that stays.
        into: String,
        /// The entity merged into it.
        from: String,
    },
    /// A spelling is not the entity it was merged into.
    SplitSpelling {
        /// The entity's name.
        entity: String,
        /// The spelling that is someone or something else.
        spelling: String,
    },
    /// An entity goes by another name.
    RenameEntity {
        /// The entity's name now.
        entity: String,
        /// The name it takes.
        to: String,
    },
    /// A figure is wrong: it leaves the story's facts.
    RejectFigure {
        /// The article that reports it.
        article: String,
        /// The byte where the figure starts in the article (`facts
        /// --json` gives each citation's `start`).
        start: usize,
    },
    /// A quote is wrong: it leaves the story's facts.
    RejectQuote {
        /// The article that reports it.
        article: String,
        /// The byte where the quote starts in the article.
        start: usize,
    },
    /// A quote was said by someone else.
    AttributeQuote {
        /// The article that reports it.
        article: String,
        /// The byte where the quote starts in the article.
        start: usize,
        /// The speaker's name.
        speaker: String,
    },
}

/// What `corrections` does.
#[derive(Debug, Subcommand)]
pub enum CorrectionsCommand {
    /// Undo correction N: kept, marked undone, and no longer applied.
    Undo {
        /// The correction's number (from `newsdesk corrections`).
        id: u64,
        /// Fail at once, instead of waiting, when another newsdesk is
        /// writing to the store.
        #[arg(long)]
        no_wait: bool,
    },
}

/// Arguments of `entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// The story whose entities to list (`newsdesk stories` numbers them):
    /// name, kind, spellings and article count; every story's when absent.
    #[arg(conflicts_with = "conll")]
    pub story: Option<u64>,
    /// Also print why spellings were merged into each entity.
    #[arg(long)]
    pub why: bool,
    /// A CoNLL-format file: tokens in the first column, blank lines between
    /// sentences, `-DOCSTART-` lines between documents; prints each token
    /// with its predicted IOB2 tag.
    #[arg(long)]
    pub conll: Option<PathBuf>,
    /// A tagger model file (from `newsdesk train ner`) instead of the
    /// embedded one.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The story's number (from `newsdesk stories`); every story when
    /// absent.
    pub story: Option<u64>,
    /// `jsonl`: one JSON object per row (node or evidence), fields a row
    /// lacks left out; `csv`: the same rows under one header.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
}

/// How `export` writes its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// JSON lines.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
}

/// What `train` learns.
#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// The named-entity tagger, from CoNLL-format gold data (tags in the
    /// last column, IOB1 or IOB2).
    Ner {
        /// The training file (e.g. conll2003_train.txt).
        #[arg(long)]
        train: PathBuf,
        /// Where to write the model.
        #[arg(long)]
        out: PathBuf,
        /// A directory of outside name lists (`places.txt`, `cities.txt`,
        /// `first_names.txt`, `last_names.txt`, as `scripts/ner-gazetteers`
        /// writes them; e.g. crates/newsdesk-entities/data/gazetteers).
        #[arg(long)]
        gazetteers: Option<PathBuf>,
        /// A development file to score after every epoch (on stderr).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Training options as `key=value,...` (`epochs`, `folds`, `unit`,
        /// `seed`, `prune`; defaults: tuned), for experiments.
        #[arg(long)]
        tune: Option<String>,
    },
}

/// Arguments of `brief`.
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The story's number (from `newsdesk stories`).
    #[arg(conflicts_with = "input")]
    pub story: Option<u64>,
    /// Brief the articles of a JSONL file instead of a stored story: article
    /// lines as `ingest` reads them (one story), or DUC-style lines
    /// `{"cluster_id", "documents": [{"doc_id", "date", "sentences"}]}`.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Length budget in words.
    #[arg(long, default_value_t = 100)]
    pub words: usize,
    /// Length budget in bytes (instead of words).
    #[arg(long)]
    pub bytes: Option<usize>,
    /// Output format (`--json` is `--format json`).
    #[arg(long, value_enum, default_value_t = BriefFormat::Text)]
    pub format: BriefFormat,
    /// Override selection weights for experiments, as `key=value,...`
    /// (names as in `newsdesk_brief::select::Weights`).
    #[arg(long)]
    pub tune: Option<String>,
}

/// How a story output (`show`, `brief`, `facts`, `timeline`) is printed;
/// each carries the story's numbered sources, which its citations `[n]`
/// refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BriefFormat {
    /// Tables and text with citation marks, then the numbered sources.
    Text,
    /// The same as CommonMark, each `[n]` a link to its source.
    Markdown,
    /// A top-level `sources` list, and every citation's `n`, evidence
    /// spans (and, for the brief, support scores).
    Json,
}

impl BriefFormat {
    /// The format asked for: `--json` is `--format json`.
    pub fn or_json(self, json: bool) -> BriefFormat {
        if json {
            BriefFormat::Json
        } else {
            self
        }
    }
}

/// Arguments of `extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// HTML pages to read (`.gz` ones are decompressed).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write one `<stem>.txt` per page into this directory instead of
    /// printing (the stem is the file name without `.html`/`.htm`/`.gz`).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// Largest page accepted, in bytes, after decompression (as for
    /// `ingest`); larger ones are skipped.
    #[arg(long, default_value_t = newsdesk_ingest::DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
    /// Pages extracted at a time, each on its own thread (default, or 0:
    /// one per core). The output is the same, in the same order, whatever
    /// the number.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// Metadata flags that apply to articles lacking their own.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// Outlet for articles that do not name one.
    #[arg(long)]
    pub source: Option<String>,
    /// Publication date (YYYY-MM-DD) for articles that do not give one.
    #[arg(long)]
    pub date: Option<String>,
    /// Language code (e.g. `en`) for articles that do not give one;
    /// otherwise it is detected.
    #[arg(long)]
    pub lang: Option<String>,
    /// Largest article accepted, in bytes; larger ones are skipped.
    #[arg(long, default_value_t = newsdesk_ingest::DEFAULT_MAX_ARTICLE_BYTES)]
    pub max_article_bytes: usize,
}

/// Arguments of `ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories to read; `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Metadata defaults.
    #[command(flatten)]
    pub metadata: MetadataArgs,
    /// A sentence-embedding model directory, as for `cluster` (needs a
    /// newsdesk built with `--features neural`): these articles are
    /// clustered with their embeddings.
    #[arg(long, value_name = "DIR")]
    pub embed_model: Option<PathBuf>,
    /// The order in which these articles are clustered (after those
    /// already in the store).
    #[command(flatten)]
    pub order: OrderArgs,
    /// How the store's events are linked into stories: `auto` (the
    /// default: each new event joins a story as it opens, and every event
    /// in the store is re-linked in one batch once the articles linked so
    /// since the last batch re-linking reach `--relink-share` of the store,
    /// or after every ingest while the store holds up to 1,000 articles),
    /// `batch` (after every ingest, every event in the store is re-linked
    /// in one batch: about 0.1 s per thousand stored articles), or
    /// `online` (each new event joins a story as it opens, and the next
    /// ingest re-links everything). A batch re-linking updates the stored
    /// articles whose story changed.
    #[arg(long, value_enum, default_value_t = StoryLinkingArg::Auto)]
    pub story_linking: StoryLinkingArg,
    /// With `--story-linking auto`: the share of the store, in percent,
    /// that the articles linked as they came must reach for the next
    /// ingest to re-link every story in batch.
    #[arg(long, default_value_t = 5.0, value_name = "PERCENT", value_parser = percent)]
    pub relink_share: f64,
    /// Fail at once when another newsdesk is writing to the store,
    /// instead of waiting for it to finish (one process clusters into a
    /// store at a time).
    #[arg(long)]
    pub no_wait: bool,
    /// The scale-out mode: store each article as read in the PostgreSQL
    /// store's intake (`--db postgres://…`) and queue its key on this
    /// NATS JetStream subject for `newsdesk worker`s, instead of analysing
    /// it here.
    #[arg(long, value_name = "nats://HOST/SUBJECT")]
    pub to: Option<String>,
}

/// Arguments of `worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The work queue `ingest --to` feeds.
    #[arg(long, value_name = "nats://HOST/SUBJECT")]
    pub from: String,
    /// Threads analysing articles (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Article keys pulled from the queue at a time.
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// Attempts at an article before it is failed for good (`newsdesk
    /// failed` lists it); an attempt that ends its worker counts.
    #[arg(long, default_value_t = 5)]
    pub max_attempts: u32,
    /// Seconds the queue waits for a worker's acknowledgement before it
    /// hands the article to another (set when the workers' consumer is
    /// first made).
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub ack_wait: u64,
    /// Seconds before a failed attempt is tried again.
    #[arg(long, default_value_t = 2, value_name = "SECONDS")]
    pub retry_after: u64,
    /// Analyse only: never assemble stories (never take the store's
    /// writer lease).
    #[arg(long)]
    pub no_assemble: bool,
    /// Exit once every queued article (one at least) is analysed (or
    /// failed), assembled and its stories linked (for batch jobs and
    /// tests); without it a worker runs until stopped.
    #[arg(long)]
    pub until_idle: bool,
    /// The durable consumer the workers share.
    #[arg(long, default_value = "workers")]
    pub consumer: String,
}

/// Arguments of `cluster`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Articles to cluster (JSONL, text files, directories, `-`), in order.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Metadata defaults.
    #[command(flatten)]
    pub metadata: MetadataArgs,
    /// Clustering thresholds.
    #[command(flatten)]
    pub tuning: TuningArgs,
    /// The order in which the articles are clustered.
    #[command(flatten)]
    pub order: OrderArgs,
}

/// The order in which the online clusterer meets the articles: its events
/// depend on it (an article can only join an event opened before it).
#[derive(Debug, Args)]
pub struct OrderArgs {
    /// `given`: as the inputs list them (the default; a stream's arrival
    /// order). `date`: publication order, oldest first; an undated article
    /// keeps its place after the one listed before it. `shuffled`: a seeded
    /// shuffle (`--seed`), to measure how much a result owes to the input
    /// order.
    #[arg(long, value_enum, default_value_t = InputOrder::Given)]
    pub order: InputOrder,
    /// The seed of `--order shuffled`; the same seed gives the same order.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl OrderArgs {
    /// The order asked for.
    pub fn input_order(&self) -> newsdesk_desk::order::InputOrder {
        match self.order {
            InputOrder::Given => newsdesk_desk::order::InputOrder::Given,
            InputOrder::Date => newsdesk_desk::order::InputOrder::Date,
            InputOrder::Shuffled => newsdesk_desk::order::InputOrder::Shuffled { seed: self.seed },
        }
    }
}

impl MetadataArgs {
    /// Reader options from the metadata flags.
    pub fn read_options(&self) -> anyhow::Result<newsdesk_ingest::ReadOptions> {
        let date = match self.date.as_deref() {
            Some(raw) => Some(parse_date_flag(raw)?),
            None => None,
        };
        Ok(newsdesk_ingest::ReadOptions {
            defaults: newsdesk_ingest::Defaults {
                source: self.source.clone(),
                date,
                lang: self.lang.clone(),
            },
            max_article_bytes: self.max_article_bytes,
        })
    }
}

/// The date a `--date` flag gives; a usage error (exit 2) when it is none.
pub fn parse_date_flag(raw: &str) -> anyhow::Result<newsdesk_model::Date> {
    newsdesk_ingest::parse_date(raw).ok_or_else(|| {
        anyhow::Error::new(Usage(format!(
            "--date {raw:?} is not a date; use YYYY-MM-DD"
        )))
    })
}

/// A mistake in how the command was called: reported like clap's own
/// (exit code 2), unlike errors of the input or the store (exit code 1).
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// `--order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputOrder {
    /// As the inputs list them.
    Given,
    /// Oldest first.
    Date,
    /// A seeded shuffle.
    Shuffled,
}

/// Overrides of the clusterer's tuned thresholds, for experiments.
#[derive(Debug, Args)]
pub struct TuningArgs {
    /// Similarity at which an article joins an event (default: tuned).
    #[arg(long)]
    pub event_threshold: Option<f64>,
    /// Similarity at which a new event joins a story (default: tuned).
    #[arg(long)]
    pub story_threshold: Option<f64>,
    /// Weight of name-like terms relative to words (default: tuned).
    #[arg(long)]
    pub name_weight: Option<f64>,
    /// How often the title's words count (default: tuned).
    #[arg(long)]
    pub title_weight: Option<f64>,
    /// How an article joins an event: `learned` (the default: a logistic
    /// model over similarity parts, trained on NeuS train, for articles of
    /// the lengths it learnt from, the threshold for headlines and full
    /// articles) or `threshold` (its best candidate's similarity reaches
    /// `--event-threshold`, for every article).
    #[arg(long, value_enum)]
    pub event_decision: Option<EventDecisionArg>,
    /// A sentence-embedding model directory (all-MiniLM-L6-v2:
    /// `config.json`, `model.safetensors`, `tokenizer.json`; see README.md):
    /// the learned decision then also weighs how close in meaning an
    /// article is to each candidate event. Needs a newsdesk built with
    /// `--features neural`; much slower than the default.
    #[arg(long, value_name = "DIR")]
    pub embed_model: Option<PathBuf>,
    /// How events are linked into stories: `batch` (the default: once
    /// every article is clustered, by average-link over all the articles
    /// of the collection, with a complete-link floor between full reports;
    /// the output comes at the end), `online` (each new event joins a
    /// story as it opens; the output streams), or `auto` (as `ingest`
    /// links a store: the same as `batch` for a collection read whole,
    /// and for `eval clustering --ingests-of N` online between batch
    /// re-linkings).
    #[arg(long, value_enum, default_value_t = StoryLinkingArg::Batch)]
    pub story_linking: StoryLinkingArg,
    /// How a collection linked in batch is grouped into events: `batch`
    /// (the default: every pair of close articles weighed by a learned
    /// decision and grouped by average link, with all the articles in
    /// view, so any order of them gives the same events) or `online`
    /// (each article against the events before it, as `ingest` does
    /// between batch re-linkings; depends on the order). Online story
    /// linking keeps online events.
    #[arg(long, value_enum, default_value_t = EventGroupingArg::Batch)]
    pub event_grouping: EventGroupingArg,
    /// Batch linking: the mean similarity two groups of events must keep
    /// without their heaviest shared name (with its words) or word to
    /// join one story, for full reports and ledes alike; 0 turns the test
    /// off (default: tuned, 0.07 between full reports and 0.13 between
    /// groups of ledes).
    #[arg(long)]
    pub story_anchor: Option<f64>,
    /// Batch linking: the same test between groups of ledes only (every
    /// article under 70 distinct terms), after `--story-anchor` (default:
    /// tuned, 0.13).
    #[arg(long)]
    pub story_lede_anchor: Option<f64>,
}

impl TuningArgs {
    /// How events are linked into stories, with `--story-anchor` applied.
    pub fn linking(&self) -> newsdesk_desk::ingest::StoryLinking {
        let mut batch = newsdesk_cluster::linking::BatchLinking::default();
        if let Some(anchor) = self.story_anchor {
            batch.anchor_threshold = anchor;
            batch.lede_anchor_threshold = anchor;
        }
        if let Some(anchor) = self.story_lede_anchor {
            batch.lede_anchor_threshold = anchor;
        }
        self.story_linking
            .linking(batch, newsdesk_desk::ingest::RelinkWhen::default())
    }
}

impl IngestArgs {
    /// How this ingest links events into stories.
    pub fn linking(&self) -> newsdesk_desk::ingest::StoryLinking {
        let when = newsdesk_desk::ingest::RelinkWhen {
            share: self.relink_share / 100.0,
            ..newsdesk_desk::ingest::RelinkWhen::default()
        };
        self.story_linking
            .linking(newsdesk_cluster::linking::BatchLinking::default(), when)
    }
}

/// A percentage from 0 to 100.
fn percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{text} is not a percentage from 0 to 100"))
    }
}

/// `--story-linking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoryLinkingArg {
    /// As each event opens, and in one batch over the whole store once
    /// enough articles were linked so.
    Auto,
    /// In one batch over the whole collection (or store, after every
    /// ingest).
    Batch,
    /// As each event opens.
    Online,
}

/// `--event-grouping`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventGroupingArg {
    /// All the articles at once: the same events in any order.
    Batch,
    /// Each article as it comes.
    Online,
}

/// `--event-decision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventDecisionArg {
    /// A similarity threshold.
    Threshold,
    /// The learned merge decision.
    Learned,
}

impl TuningArgs {
    /// How a collection is grouped into events.
    pub fn events(&self) -> newsdesk_cluster::events::EventGrouping {
        match self.event_grouping {
            EventGroupingArg::Batch => newsdesk_cluster::events::EventGrouping::default(),
            EventGroupingArg::Online => newsdesk_cluster::events::EventGrouping::Online,
        }
    }

    /// The clusterer configuration: defaults with these overrides.
    pub fn config(&self) -> newsdesk_cluster::ClusterConfig {
        let mut config = newsdesk_cluster::ClusterConfig::default();
        if let Some(t) = self.event_threshold {
            config.event_threshold = t;
        }
        if let Some(t) = self.story_threshold {
            config.story_threshold = t;
        }
        if let Some(w) = self.name_weight {
            config.name_weight = w;
        }
        if let Some(w) = self.title_weight {
            config.title_weight = w;
        }
        if let Some(d) = self.event_decision {
            config.event_decision = match d {
                EventDecisionArg::Threshold => newsdesk_cluster::EventDecision::Threshold,
                EventDecisionArg::Learned => newsdesk_cluster::EventDecision::Learned,
            };
        }
        config
    }
}

impl StoryLinkingArg {
    /// The story linking asked for, with these thresholds.
    pub fn linking(
        self,
        batch: newsdesk_cluster::linking::BatchLinking,
        when: newsdesk_desk::ingest::RelinkWhen,
    ) -> newsdesk_desk::ingest::StoryLinking {
        use newsdesk_desk::ingest::StoryLinking;
        match self {
            StoryLinkingArg::Auto => StoryLinking::Auto(batch, when),
            StoryLinkingArg::Batch => StoryLinking::Batch(batch),
            StoryLinkingArg::Online => StoryLinking::Online,
        }
    }
}

/// A level of grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// Events: articles about one development.
    Event,
    /// Stories: events that continue one another.
    Story,
}

/// What `eval` scores.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Tag the text of TimeML files (a file, or a directory searched for
    /// `.tml`) with their DCT and score as TempEval-3: strict and relaxed
    /// extent, value and type.
    Timex {
        /// A `.tml` file or a directory of them (e.g. TBAQ-cleaned).
        dir: PathBuf,
        /// List every error on stderr (missed, spurious, extent, value).
        #[arg(long)]
        errors: bool,
    },
    /// Cluster a JSONL file whose lines carry a gold `cluster` field and
    /// score the events: BCubed and pairwise precision, recall and F1.
    Clustering {
        /// The benchmark file.
        file: PathBuf,
        /// Which grouping to score against the gold: events (one
        /// development) or stories (events linked over days).
        #[arg(long, value_enum, default_value_t = Level::Event)]
        level: Level,
        /// Score against the gold events grouped into running stories by
        /// this file (`{"event_thread": {event: thread}}`, as
        /// ../shared/eval/clustering/neus_val_threads.json).
        #[arg(long)]
        threads: Option<PathBuf>,
        /// Clustering thresholds.
        #[command(flatten)]
        tuning: TuningArgs,
        /// The order in which the articles are clustered.
        #[command(flatten)]
        order: OrderArgs,
        /// Feed the articles to a store in memory in ingests of this many,
        /// linked as `--story-linking` says (`auto` as `ingest` does), and
        /// score the store after each ingest: the final scores, their mean
        /// over the ingests and the lowest.
        #[arg(long, value_name = "N")]
        ingests_of: Option<usize>,
    },
    /// Build edited copies (new headline, added paragraph, cut ending) of
    /// the articles of a JSONL file, all sharing a boilerplate paragraph,
    /// and score near-duplicate detection: precision and recall.
    Duplicates {
        /// Distinct articles (e.g. a clustering benchmark file).
        file: PathBuf,
    },
    /// Score figures (same value, overlapping span) and quotes (overlapping
    /// span; speaker accuracy) against a hand-labelled gold file, by
    /// default the seeds' (`crates/newsdesk-eval/data/seeds-facts.json`).
    Facts {
        /// The gold file (default: the seeds').
        #[arg(long)]
        gold: Option<PathBuf>,
        /// Where the gold's articles are.
        #[arg(long, default_value = "../shared/seeds")]
        dir: PathBuf,
    },
    /// Find the direct quotes of a PolNeAR-style file's articles (one JSON
    /// article per line with its annotated `quotes`, as
    /// ../shared/eval/quotes/polnear_dev_articles.jsonl) and score them:
    /// gold direct quotes found, precision of the quotes predicted, and
    /// over the found quotes with a gold speaker, speaker accuracy, the
    /// precision of the speakers named and their coverage.
    Quotes {
        /// The gold file.
        file: PathBuf,
        /// Score only fold K of N (`K/N`, articles split by a hash of
        /// their id), to report a part not tuned on.
        #[arg(long, value_parser = parse_fold)]
        fold: Option<(usize, usize)>,
        /// Write every gold direct quote as scored (gold and predicted
        /// speaker, verdict) to this JSONL file, for reading the errors.
        #[arg(long)]
        errors: Option<PathBuf>,
    },
    /// Write a brief per DUC-style cluster (`{"cluster_id", "documents",
    /// "references"}` lines), strip citation marks, and score ROUGE-1 and
    /// ROUGE-2 recall against the references.
    Brief {
        /// The benchmark file (e.g. duc2004_dev.jsonl).
        file: PathBuf,
        /// Words per brief.
        #[arg(long, default_value_t = 100)]
        words: usize,
        /// Also write the scored briefs here, one JSONL line per cluster
        /// (`{"cluster_id", "text", "plain", "sentences"}`), for an external
        /// scorer (`scripts/rouge-duc`).
        #[arg(long)]
        write_briefs: Option<PathBuf>,
        /// Override selection weights for experiments, as
        /// `key=value,...` (names as in `newsdesk_brief::select::Weights`,
        /// e.g. `density=1,length_exponent=0.7`).
        #[arg(long)]
        tune: Option<String>,
    },
    /// Extract the main text of every page of a WCXB-style directory
    /// (`html/NNNN.html.gz`, `ground-truth/NNNN.json`, `metadata.json`) and
    /// score it: word precision, recall and F1, overall and per page type.
    Extract {
        /// The benchmark directory: WCXB's layout (`html/`,
        /// `ground-truth/`, `metadata.json`) or L3S-GN1's (`html/`,
        /// `gold/`, `gold_wceb/`, `pages.jsonl`).
        dir: PathBuf,
        /// Score only the first N pages (in id order).
        #[arg(long)]
        limit: Option<usize>,
        /// L3S-GN1: score against `gold_wceb/` (headline, body and
        /// captions) instead of `gold/` (the body).
        #[arg(long)]
        with_headline: bool,
        /// Also list the scores per site, worst first.
        #[arg(long)]
        by_site: bool,
        /// Write every page's score (`id site precision recall F1`, tab
        /// separated) to this file: a regression file to compare a later
        /// run with (`--against`).
        #[arg(long, value_name = "FILE")]
        pages: Option<PathBuf>,
        /// Compare every page's F1 with a regression file written by
        /// `--pages`: list the pages that lost more than 0.02 and those
        /// that gained, and exit 1 if any lost.
        #[arg(long, value_name = "FILE")]
        against: Option<PathBuf>,
    },
    /// Tag a CoNLL-format file (tokens in the first column) and score the
    /// entities against its last column (IOB1 or IOB2) as conlleval does:
    /// precision, recall and F1 per type and overall, exact span and type.
    Ner {
        /// The gold file (e.g. conll2003_valid.txt).
        file: PathBuf,
        /// A tagger model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

/// Reads `K/N` (fold K of N, K below N).
fn parse_fold(s: &str) -> Result<(usize, usize), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("expected K/N, e.g. 0/2, not {s:?}"))?;
    let k: usize = k
        .trim()
        .parse()
        .map_err(|_| format!("not a fold number: {k:?}"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("not a fold count: {n:?}"))?;
    if n == 0 || k >= n {
        return Err(format!("fold {k} of {n}: K must be below N"));
    }
    Ok((k, n))
}
