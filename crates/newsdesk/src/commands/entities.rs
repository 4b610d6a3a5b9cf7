//! `newsdesk entities STORY`: a story's entities, spellings merged;
//! `newsdesk entities --conll`, `newsdesk eval ner` and `newsdesk train
//! ner`: the named-entity tagger on CoNLL-format files.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use newsdesk_entities::conll::{self, ConllFile};
use newsdesk_entities::gazetteer::{Gazetteer, LIST_FILES};
use newsdesk_entities::score::{score, NerScore};
use newsdesk_entities::{Analyzer, Entity, Tag, Tagger, TrainOptions};
use newsdesk_store::Store;

use crate::output;

/// The tagger: the model file at `model` if given, else the embedded one.
fn load(model: Option<&Path>) -> anyhow::Result<Tagger> {
    match model {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read the model {}", path.display()))?;
            Tagger::from_bytes(&bytes).with_context(|| format!("cannot load {}", path.display()))
        }
        None => Tagger::embedded().context("cannot load the embedded tagger model"),
    }
}

fn read(path: &Path, gold: bool) -> anyhow::Result<ConllFile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    conll::parse(&text, gold).with_context(|| format!("cannot read {}", path.display()))
}

/// Tags every document of the file; the tags of its tokens in order.
fn tag_file(tagger: &Tagger, file: &ConllFile) -> Vec<Vec<Tag>> {
    file.documents
        .iter()
        .flat_map(|document| {
            let sentences: Vec<Vec<&str>> = document
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            tagger.tag_document(&sentences)
        })
        .collect()
}

/// `entities --conll FILE`: every input line as `token TAG`, blank lines
/// kept, `-DOCSTART-` lines as `-DOCSTART- O`.
pub fn conll(file: &Path, model: Option<&Path>) -> anyhow::Result<ExitCode> {
    let tagger = load(model)?;
    let input = read(file, false)?;
    let tags: Vec<Tag> = tag_file(&tagger, &input).into_iter().flatten().collect();
    let mut text = String::with_capacity(input.token_count() * 12);
    conll::write(&input, &tags, &mut text)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `eval ner FILE`: tag the first column, score against the last.
pub fn eval(file: &Path, model: Option<&Path>, json: bool) -> anyhow::Result<ExitCode> {
    let tagger = load(model)?;
    let input = read(file, true)?;
    let start = Instant::now();
    let predicted = tag_file(&tagger, &input);
    let seconds = start.elapsed().as_secs_f64();
    let result = score_file(&input, &predicted);
    if json {
        output::json(&result)?;
    } else {
        print_score(&result)?;
        output::line(&format!(
            "{} tokens tagged in {:.2} s",
            result.tokens, seconds
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn score_file(input: &ConllFile, predicted: &[Vec<Tag>]) -> NerScore {
    score(
        input
            .sentences()
            .zip(predicted)
            .map(|(s, p)| (s.gold.as_slice(), p.as_slice())),
    )
}

fn print_score(result: &NerScore) -> anyhow::Result<()> {
    let mut table = output::table(&["type", "precision", "recall", "F1", "gold", "predicted"]);
    let rows = result
        .types
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .chain([("overall", &result.overall)]);
    for (name, prf) in rows {
        table.add_row(vec![
            name.to_string(),
            format!("{:.4}", prf.precision),
            format!("{:.4}", prf.recall),
            format!("{:.4}", prf.f1),
            prf.gold.to_string(),
            prf.predicted.to_string(),
        ]);
    }
    output::print_table(&table)?;
    output::line(&format!("token accuracy {:.4}", result.accuracy))
}

/// `train ner`: learn a tagger from a gold CoNLL file and write the model;
/// with `dev`, score every epoch on it (on stderr).
pub fn train(
    train: &Path,
    out: &Path,
    gazetteers: Option<&Path>,
    dev: Option<&Path>,
    tune: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let data = read(train, true)?;
    let dev = dev.map(|p| read(p, true)).transpose()?;
    let mut options = TrainOptions::default();
    if let Some(spec) = tune {
        options.tune(spec).map_err(anyhow::Error::msg)?;
    }
    let mut lists = Gazetteer::default();
    if let Some(dir) = gazetteers {
        for (list, name) in LIST_FILES.iter().enumerate() {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the name list {}", path.display()))?;
            lists.add_lines(&text, list as u8);
        }
    }
    let start = Instant::now();
    let tagger = newsdesk_entities::train(&data.documents, &lists, &options, |epoch, tagger| {
        if let Some(dev) = &dev {
            let result = score_file(dev, &tag_file(tagger, dev));
            output::warn(&format!(
                "epoch {epoch}: dev F1 {:.4} (P {:.4} R {:.4}; {}) after {:.0} s",
                result.overall.f1,
                result.overall.precision,
                result.overall.recall,
                result
                    .types
                    .iter()
                    .map(|(k, v)| format!("{k} {:.4}", v.f1))
                    .collect::<Vec<_>>()
                    .join(", "),
                start.elapsed().as_secs_f64()
            ));
        } else {
            output::warn(&format!(
                "epoch {epoch} after {:.0} s",
                start.elapsed().as_secs_f64()
            ));
        }
    });
    let bytes = tagger.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    output::line(&format!(
        "wrote {} ({} bytes, {} features, {} gazetteer keys) in {:.0} s",
        out.display(),
        bytes.len(),
        tagger.feature_count(),
        tagger.gazetteer_len(),
        start.elapsed().as_secs_f64()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The entities of story `story`, from its stored documents in clustering
/// order; an error if there is no such story.
pub fn story_entities(
    store: &dyn Store,
    story: u64,
    model: Option<&Path>,
) -> anyhow::Result<Vec<Entity>> {
    let analyzer = Analyzer::with_tagger(load(model)?);
    Ok(newsdesk_desk::story::story_entities(
        store, story, &analyzer,
    )?)
}

/// `entities STORY`: name, kind, spellings and article count of each
/// entity, most mentioned first; with `why`, the reasons for each merge.
pub fn story(
    store: &dyn Store,
    story: u64,
    model: Option<&Path>,
    why: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let entities = story_entities(store, story, model)?;
    if json {
        output::json(&entities)?;
        return Ok(ExitCode::SUCCESS);
    }
    print(&entities, why)?;
    Ok(ExitCode::SUCCESS)
}

/// `entities` without a story: every story's entities, story by story.
pub fn all(
    store: &dyn Store,
    model: Option<&Path>,
    why: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    #[derive(serde::Serialize)]
    struct StoryEntities {
        story: u64,
        entities: Vec<Entity>,
    }
    // One tagger and one read of the store's index for every story.
    let analyzer = Analyzer::with_tagger(load(model)?);
    let out: Vec<StoryEntities> = newsdesk_desk::story::all_story_entities(store, &analyzer)?
        .into_iter()
        .map(|(story, entities)| StoryEntities { story, entities })
        .collect();
    if json {
        output::json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for s in &out {
        output::line(&format!("Story {}:", s.story))?;
        print(&s.entities, why)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints entities as a table (and, with `why`, the merge reasons).
fn print(entities: &[Entity], why: bool) -> anyhow::Result<()> {
    let mut table = output::table(&[
        "entity",
        "kind",
        "spellings",
        "articles",
        "mentions",
        "where",
    ]);
    for e in entities {
        table.add_row(vec![
            e.name.clone(),
            e.kind.as_str().to_string(),
            e.variants.join(" | "),
            e.articles.len().to_string(),
            e.mentions.len().to_string(),
            e.place
                .as_ref()
                .map_or_else(String::new, |p| match (p.latitude, p.longitude) {
                    (Some(lat), Some(lon)) => format!("{} {lat:.2}, {lon:.2}", p.country),
                    _ => p.country.clone(),
                }),
        ]);
    }
    output::print_table(&table)?;
    if why {
        for e in entities.iter().filter(|e| !e.why.is_empty()) {
            output::line(&format!("{} ({}):", e.name, e.kind.as_str()))?;
            for reason in &e.why {
                output::line(&format!("  {reason}"))?;
            }
        }
    }
    Ok(())
}
