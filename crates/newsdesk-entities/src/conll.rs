//! CoNLL-format files: one token per line, the token in the first
//! whitespace-separated column and (for gold data) the tag in the last,
//! blank lines between sentences and `-DOCSTART-` lines between documents.

use crate::label::{to_iob2, Tag};
use crate::EntityError;

/// What one line of a CoNLL file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A token, with the tag in its last column when the line has more
    /// than one column.
    Token {
        /// The first column.
        token: String,
        /// The last column, read as a tag (only when asked for).
        gold: Option<Tag>,
    },
    /// A blank line: the end of a sentence.
    Blank,
    /// A `-DOCSTART-` line: the start of a document.
    DocStart,
}

/// A sentence: its tokens and, for gold data, their IOB2 tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// The tokens.
    pub tokens: Vec<String>,
    /// The gold tags (IOB2), one per token; empty when not read.
    pub gold: Vec<Tag>,
}

/// A CoNLL file: its lines in order, and the same tokens grouped into
/// documents of sentences for the tagger.
#[derive(Debug, Clone, Default)]
pub struct ConllFile {
    /// Every line, in order.
    pub lines: Vec<Line>,
    /// Documents (split at `-DOCSTART-`; a file without it is one
    /// document), each a list of sentences.
    pub documents: Vec<Vec<Sentence>>,
}

impl ConllFile {
    /// All sentences, in order.
    pub fn sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.documents.iter().flatten()
    }

    /// How many tokens the file has.
    pub fn token_count(&self) -> usize {
        self.sentences().map(|s| s.tokens.len()).sum()
    }
}

/// Reads CoNLL text. With `gold`, the last column of each token line must
/// be a tag of CoNLL-2003's types in IOB1 or IOB2 (converted to IOB2 per
/// sentence); a bad tag is an error naming its line.
pub fn parse(text: &str, gold: bool) -> Result<ConllFile, EntityError> {
    let mut file = ConllFile::default();
    let mut document: Vec<Sentence> = Vec::new();
    let mut sentence = Sentence::default();
    let finish_sentence = |sentence: &mut Sentence, document: &mut Vec<Sentence>| {
        if !sentence.tokens.is_empty() {
            to_iob2(&mut sentence.gold);
            document.push(std::mem::take(sentence));
        }
    };
    for (number, raw) in text.lines().enumerate() {
        let mut columns = raw.split_whitespace();
        let Some(token) = columns.next() else {
            finish_sentence(&mut sentence, &mut document);
            file.lines.push(Line::Blank);
            continue;
        };
        if token == "-DOCSTART-" {
            finish_sentence(&mut sentence, &mut document);
            if !document.is_empty() {
                file.documents.push(std::mem::take(&mut document));
            }
            file.lines.push(Line::DocStart);
            continue;
        }
        let tag = if gold {
            let last = columns.next_back().ok_or_else(|| EntityError::Conll {
                line: number + 1,
                message: "no tag column".into(),
            })?;
            let tag = Tag::parse(last).ok_or_else(|| EntityError::Conll {
                line: number + 1,
                message: format!("{last:?} is not a tag of PER, ORG, LOC or MISC"),
            })?;
            sentence.gold.push(tag);
            Some(tag)
        } else {
            None
        };
        sentence.tokens.push(token.to_string());
        file.lines.push(Line::Token {
            token: token.to_string(),
            gold: tag,
        });
    }
    finish_sentence(&mut sentence, &mut document);
    if !document.is_empty() {
        file.documents.push(document);
    }
    // The gold tags of the lines are the sentence's IOB2 tags.
    if gold {
        let tags: Vec<Tag> = file
            .sentences()
            .flat_map(|s| s.gold.iter().copied())
            .collect();
        let mut tags = tags.into_iter();
        for line in &mut file.lines {
            if let Line::Token { gold, .. } = line {
                *gold = tags.next();
            }
        }
    }
    Ok(file)
}

/// Writes `token TAG` for every token line, a blank line for every blank
/// line and `-DOCSTART- O` for every document start, with `tags` the
/// predicted tags of the file's tokens in order.
pub fn write(file: &ConllFile, tags: &[Tag], out: &mut impl std::fmt::Write) -> std::fmt::Result {
    let mut tags = tags.iter();
    for line in &file.lines {
        match line {
            Line::Token { token, .. } => {
                let tag = tags.next().copied().unwrap_or(Tag::O);
                writeln!(out, "{token} {tag}")?;
            }
            Line::Blank => writeln!(out)?,
            Line::DocStart => writeln!(out, "-DOCSTART- O")?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_sentences_and_iob1() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP I-ORG\nrejects VBZ O\n\n\n-DOCSTART- -X- O\nPeter NNP I-PER\nBlackburn NNP I-PER\n";
        let file = parse(text, true).expect("parses");
        assert_eq!(file.lines.len(), 9);
        assert_eq!(file.documents.len(), 2);
        assert_eq!(file.documents[0][0].tokens, ["EU", "rejects"]);
        assert_eq!(
            file.documents[1][0].gold,
            [
                Tag::B(crate::EntityType::Per),
                Tag::I(crate::EntityType::Per)
            ]
        );
        let mut out = String::new();
        let tags: Vec<Tag> = file.sentences().flat_map(|s| s.gold.clone()).collect();
        write(&file, &tags, &mut out).expect("writes");
        assert_eq!(
            out,
            "-DOCSTART- O\n\nEU B-ORG\nrejects O\n\n\n-DOCSTART- O\nPeter B-PER\nBlackburn I-PER\n"
        );
    }

    #[test]
    fn bad_tags_name_their_line() {
        let err = parse("a O\nb B-DATE\n", true).expect_err("bad tag");
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(parse("a\nb B-DATE\n", false).is_ok());
    }
}
