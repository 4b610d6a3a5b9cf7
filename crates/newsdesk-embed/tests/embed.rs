//! Tests of the embedding model against the real all-MiniLM-L6-v2 files.
//!
//! They read the model directory from `NEWSDESK_EMBED_MODEL` (`.ci/run`
//! fetches the model and sets it); without it each test that needs the model
//! says it is skipped and passes.
#![allow(clippy::print_stderr)]

use std::path::Path;

use newsdesk_embed::{model_dir_from_env, EmbedError, Embedder};
use serde::Deserialize;

/// The model, or `None` (after saying so) when `NEWSDESK_EMBED_MODEL` is unset.
fn embedder(test: &str) -> Option<Embedder> {
    let Some(dir) = model_dir_from_env() else {
        eprintln!("{test}: skipped, NEWSDESK_EMBED_MODEL is not set");
        return None;
    };
    Some(Embedder::load(&dir).unwrap_or_else(|e| panic!("{e}")))
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    dot(a, b) / (dot(a, a).sqrt() * dot(b, b).sqrt())
}

#[test]
fn vectors_are_unit_length_and_384_dimensional() {
    let Some(embedder) = embedder("vectors_are_unit_length_and_384_dimensional") else {
        return;
    };
    assert_eq!(embedder.dimension(), 384);
    let long = "The causeway flooded again. ".repeat(200);
    for text in [
        "The ferry to Marrowby was cancelled.",
        "",
        "   ",
        &long,
        "数据 ☔ ü",
    ] {
        let vector = embedder.embed(text).unwrap();
        assert_eq!(vector.len(), 384, "{text:?}");
        assert!(vector.iter().all(|x| x.is_finite()), "{text:?}");
        let norm = dot(&vector, &vector).sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{text:?}: norm {norm}");
    }
}

#[test]
fn a_paraphrase_is_closer_than_an_unrelated_sentence() {
    let Some(embedder) = embedder("a_paraphrase_is_closer_than_an_unrelated_sentence") else {
        return;
    };
    let texts = [
        "Engineers at the Kestrel Ridge dam released water after the reservoir rose to a record level.",
        "With the Kestrel Ridge reservoir at its highest ever, the dam's operators let water out.",
        "The Oldport chess club elected a new treasurer at its annual dinner.",
    ];
    let vectors = embedder.embed_batch(&texts).unwrap();
    let paraphrase = dot(&vectors[0], &vectors[1]);
    let unrelated = dot(&vectors[0], &vectors[2]);
    assert!(
        paraphrase > unrelated + 0.3,
        "paraphrase {paraphrase}, unrelated {unrelated}"
    );
}

#[derive(Deserialize)]
struct Reference {
    entries: Vec<ReferenceEntry>,
}

#[derive(Deserialize)]
struct ReferenceEntry {
    text: String,
    vector: Vec<f32>,
}

fn reference() -> Reference {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/minilm-reference.json");
    let text = std::fs::read_to_string(&path).expect("the reference fixture is readable");
    serde_json::from_str(&text).expect("the reference fixture is valid")
}

/// The numpy reference's vectors (3 sentences, an empty text, and a text cut
/// at 256 word pieces), rounded to 4 decimals, which costs well under 0.001
/// of cosine.
#[test]
fn embeddings_match_the_numpy_reference() {
    let Some(embedder) = embedder("embeddings_match_the_numpy_reference") else {
        return;
    };
    for entry in reference().entries {
        let vector = embedder.embed(&entry.text).unwrap();
        let similarity = cosine(&vector, &entry.vector);
        assert!(similarity > 0.999, "{:?}: cosine {similarity}", entry.text);
    }
}

/// Batches pad texts to a common length; the padding must change nothing.
#[test]
fn a_batch_gives_the_vectors_of_its_texts_alone() {
    let Some(embedder) = embedder("a_batch_gives_the_vectors_of_its_texts_alone") else {
        return;
    };
    let entries = reference().entries;
    let mut texts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
    // More texts than one batch holds, so that several batches of mixed
    // lengths are reassembled in input order.
    let more: Vec<String> = (0..20)
        .map(|i| format!("Bulletin {i}: {}", "the tide is late. ".repeat(i)))
        .collect();
    texts.extend(more.iter().map(String::as_str));
    let batch = embedder.embed_batch(&texts).unwrap();
    assert_eq!(batch.len(), texts.len());
    for (text, vector) in texts.iter().zip(&batch) {
        let alone = embedder.embed(text).unwrap();
        let similarity = cosine(&alone, vector);
        assert!(similarity > 0.9999, "{text:?}: cosine {similarity}");
    }
    assert!(embedder.embed_batch(&[]).unwrap().is_empty());
}

#[test]
fn loading_a_missing_directory_is_an_error() {
    let error = Embedder::load(Path::new("/nonexistent/newsdesk-embed-model")).unwrap_err();
    assert!(matches!(error, EmbedError::NoModelDir(_)), "{error}");
    assert!(error
        .to_string()
        .contains("/nonexistent/newsdesk-embed-model"));
}

#[test]
fn loading_a_directory_without_the_model_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let error = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(error, EmbedError::Read { .. }), "{error}");
    assert!(error.to_string().contains("config.json"), "{error}");
}

#[test]
fn loading_a_bad_config_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), "{\"hidden_size\": \"big\"}").unwrap();
    let error = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(error, EmbedError::Config { .. }), "{error}");
    assert!(error.to_string().contains("config.json"), "{error}");
}
